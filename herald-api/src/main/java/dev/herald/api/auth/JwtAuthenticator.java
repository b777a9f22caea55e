package dev.herald.api.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.Text;
import dev.herald.core.auth.Authenticator;
import dev.herald.core.auth.Principal;
import java.net.MalformedURLException;
import java.security.Key;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies user JWTs: HS256 with the shared secret, RS256/ES256 with keys from a JWKS URL. The JWKS
 * is fetched lazily, cached, refetched when a token names an unknown {@code kid} (key rotation),
 * and refetches are rate limited so a flood of forged kids cannot hammer the identity provider.
 *
 * <p>Two verifiers, one set of rules. {@link Hs256Verifier} reads every token's header and verifies
 * plain HS256 tokens itself (the reconnect storm after a restart is mostly those); RS256/ES256,
 * every other alg and HS256 headers with further parameters go through nimbus as before. Both hand
 * back the claims as a map of JSON values, and everything after that (claim types, time, issuer,
 * audience, the principal) is decided once, below, for either.
 *
 * <p>Refusals: no token → {@code AUTH_FAILED}; malformed, unsigned ({@code alg:none}), other
 * algorithms, wrong key, wrong issuer/audience, not yet valid, no {@code user_id}/{@code sub}, no
 * {@code exp} (unless not required), {@code iat} beyond the skew in the future, a lifetime over the
 * maximum, a claim holding U+0000 or an unpaired surrogate → {@code INVALID_TOKEN}; {@code exp}
 * more than the skew ago → {@code TOKEN_EXPIRED}; JWKS
 * unreachable → {@code AUTH_FAILED} (the client may retry). Messages never contain the token.
 *
 * <p>Threading: thread-safe. A JWKS fetch blocks (bounded by nimbus' HTTP timeouts), so call it
 * off the event loop.
 */
public final class JwtAuthenticator implements Authenticator {
    private static final Logger log = LoggerFactory.getLogger(JwtAuthenticator.class);
    private static final Set<JWSAlgorithm> ASYMMETRIC = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
    /** Bigger than any sane token; stops parsing megabytes of base64 sent as a "token". */
    private static final int MAX_TOKEN_CHARS = 16 * 1024;
    /** The message of every {@code TOKEN_EXPIRED} refusal. */
    public static final String EXPIRED_MESSAGE = "Token expired";

    private final JwtConfig config;
    private final Clock clock;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final Hs256Verifier hs256;

    public JwtAuthenticator(JwtConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.hs256 = new Hs256Verifier(config.hmacSecret());
        Key hmacKey = config.hmacSecret() == null ? null : new SecretKeySpec(config.hmacSecret(), "HmacSHA256");
        JWSKeySelector<SecurityContext> jwks = config.jwksUrl() == null ? null
                : new JWSVerificationKeySelector<>(ASYMMETRIC, jwkSource(config));
        // One selector for both families, picked by the header's alg: an HS256 token can never be
        // checked against a public key (the classic RS/HS confusion attack) and vice versa.
        processor.setJWSKeySelector((header, context) -> {
            JWSAlgorithm alg = header.getAlgorithm();
            if (JWSAlgorithm.HS256.equals(alg) && hmacKey != null) return List.of(hmacKey);
            if (ASYMMETRIC.contains(alg) && jwks != null) return jwks.selectJWSKeys(header, context);
            return List.of();
        });
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(
                JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
        // Time, issuer and audience are checked below with the injected clock.
        processor.setJWTClaimsSetVerifier((claims, context) -> { });
    }

    private static final int JWKS_TIMEOUT_MILLIS = 3_000;
    private static final int JWKS_SIZE_LIMIT_BYTES = 512 * 1024;

    private static JWKSource<SecurityContext> jwkSource(JwtConfig config) {
        try {
            // nimbus' default HTTP timeouts are 500 ms: an identity provider across the internet, or a
            // loaded node's first fetch, can take longer, and a refused fetch refuses every login.
            var retriever = new DefaultResourceRetriever(JWKS_TIMEOUT_MILLIS, JWKS_TIMEOUT_MILLIS, JWKS_SIZE_LIMIT_BYTES);
            return JWKSourceBuilder.<SecurityContext>create(config.jwksUrl().toURL(), retriever)
                    .cache(true)
                    .rateLimited(true)
                    .build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("JWT_JWKS_URL is not a valid URL: " + config.jwksUrl(), e);
        }
    }

    @Override
    public Principal authenticate(String token) {
        if (token == null || token.isBlank()) throw new HeraldException(ErrorCode.AUTH_FAILED, "no token given");
        if (token.length() > MAX_TOKEN_CHARS) throw invalid("token is too long");
        String compact = token.strip();
        Map<String, Object> claims = hs256.claims(compact);
        if (claims == null) claims = verifiedByNimbus(compact);
        checkRegisteredClaims(claims);
        checkTimes(claims);
        checkIssuerAndAudience(claims);
        return principal(claims);
    }

    private Map<String, Object> verifiedByNimbus(String token) {
        try {
            return processor.process(token, null).toJSONObject();
        } catch (ParseException e) {
            throw invalid(Hs256Verifier.MALFORMED);
        } catch (BadJOSEException e) {
            // nimbus' messages name the reason (alg, signature, no key) and never include the token.
            throw invalid("token rejected: " + e.getMessage());
        } catch (KeySourceException e) {
            log.warn("could not load the JWKS from {}: {}", config.jwksUrl(), e.getMessage());
            throw new HeraldException(ErrorCode.AUTH_FAILED, "signing keys are unavailable, try again");
        } catch (JOSEException e) {
            throw invalid("token signature could not be verified");
        }
    }

    /**
     * The types of the registered claims, as nimbus' {@code JWTClaimsSet.parse} checks them (and
     * words the refusal): claims nimbus parsed pass, claims Jackson parsed meet the same rules.
     */
    private static void checkRegisteredClaims(Map<String, Object> claims) {
        for (String name : List.of("iss", "jti")) {
            if (claims.get(name) != null && !(claims.get(name) instanceof String)) throw unexpectedType(name);
        }
        Object sub = claims.get("sub");
        if (sub != null && !(sub instanceof String || sub instanceof Number)) throw invalid("token rejected: Illegal sub claim");
        audience(claims);
        for (String name : List.of("exp", "nbf", "iat")) time(claims, name);
    }

    private void checkTimes(Map<String, Object> claims) {
        Instant now = clock.instant();
        JwtConfig.Lifetime rules = config.lifetime();
        Duration skew = rules.clockSkew();
        Instant exp = time(claims, "exp");
        if (exp == null && rules.requireExp()) {
            throw invalid("token has no exp claim; tokens must expire (JWT_REQUIRE_EXP)");
        }
        if (exp != null && now.isAfter(exp.plus(skew))) {
            // Exactly these words: seed 003's client refreshes its token when connect_error says "Token expired".
            throw new HeraldException(ErrorCode.TOKEN_EXPIRED, EXPIRED_MESSAGE);
        }
        Instant nbf = time(claims, "nbf");
        if (nbf != null && now.plus(skew).isBefore(nbf)) {
            throw invalid("token is not valid before " + nbf);
        }
        Instant iat = time(claims, "iat");
        if (iat != null && now.plus(skew).isBefore(iat)) {
            throw invalid("token iat " + iat + " is in the future (beyond the clock skew)");
        }
        if (exp != null && rules.bounded()) {
            Instant from = iat != null ? iat : now;
            if (Duration.between(from, exp).compareTo(rules.maxLifetime().plus(skew)) > 0) {
                throw invalid("token lives longer than JWT_MAX_LIFETIME_SECONDS (" + rules.maxLifetime().toSeconds() + " s)");
            }
        }
    }

    private void checkIssuerAndAudience(Map<String, Object> claims) {
        if (config.issuer() != null && !config.issuer().equals(claims.get("iss"))) {
            throw invalid("token has the wrong issuer");
        }
        if (config.audience() != null) {
            List<?> aud = audience(claims);
            if (aud == null || !aud.contains(config.audience())) throw invalid("token has the wrong audience");
        }
    }

    /**
     * A NumericDate claim (seconds since the epoch) read as nimbus reads it, {@code new
     * Date(seconds * 1000)}: a fraction is truncated, and a value past the year 292 million wraps
     * the same way in both paths.
     */
    private static Instant time(Map<String, Object> claims, String name) {
        Object value = claims.get(name);
        if (value == null) return null;
        if (!(value instanceof Number n)) throw unexpectedType(name);
        return Instant.ofEpochMilli(n.longValue() * 1000L);
    }

    /** {@code aud} is one string or an array of strings (nulls allowed, as nimbus allows them). */
    private static List<?> audience(Map<String, Object> claims) {
        Object aud = claims.get("aud");
        if (aud == null) return null;
        if (aud instanceof String s) return Collections.singletonList(s);
        if (!(aud instanceof List<?> list)) throw invalid("token rejected: Illegal aud claim");
        for (Object o : list) {
            if (o != null && !(o instanceof String)) throw invalid("token rejected: JSON object member aud is not an array of strings");
        }
        return list;
    }

    private static Principal principal(Map<String, Object> claims) {
        String userId = optionalString(claims, "user_id");
        String userClaim = "user_id";
        if (userId == null || userId.isBlank()) {
            userId = optionalString(claims, "sub");
            userClaim = "sub";
        }
        if (userId == null || userId.isBlank()) throw invalid("token has no user_id or sub claim");
        // The ids become room names, store keys and log fields: refused here, they never reach any of them.
        Text.require(ErrorCode.INVALID_TOKEN, userClaim, userId);
        String teamId = Text.require(ErrorCode.INVALID_TOKEN, "team_id", optionalString(claims, "team_id"));
        return new Principal(userId, teamId == null || teamId.isBlank() ? null : teamId,
                stringSet(claims, "roles"), stringSet(claims, "groups"),
                Text.require(ErrorCode.INVALID_TOKEN, "email", optionalString(claims, "email")),
                time(claims, "exp"));
    }

    /** A string claim; numbers are accepted too because some issuers emit numeric user ids. */
    private static String optionalString(Map<String, Object> claims, String name) {
        Object value = claims.get(name);
        if (value == null) return null;
        if (value instanceof String s) return s;
        if (value instanceof Number n) return n.toString();
        throw invalid("claim " + name + " must be a string");
    }

    /** An array of strings, or one string, as issuers write roles and groups both ways. */
    private static Set<String> stringSet(Map<String, Object> claims, String name) {
        Object value = claims.get(name);
        if (value == null) return Set.of();
        if (value instanceof String s) return s.isBlank() ? Set.of() : Set.of(Text.require(ErrorCode.INVALID_TOKEN, name, s));
        if (value instanceof Collection<?> list) {
            Set<String> out = new LinkedHashSet<>();
            for (Object o : list) {
                if (o instanceof String s) {
                    if (!s.isBlank()) out.add(Text.require(ErrorCode.INVALID_TOKEN, name, s));
                } else if (o instanceof Number n) {
                    out.add(n.toString());
                } else {
                    throw invalid("claim " + name + " must hold strings");
                }
            }
            return out;
        }
        throw invalid("claim " + name + " must be a string or an array of strings");
    }

    private static HeraldException unexpectedType(String claim) {
        return invalid("token rejected: Unexpected type of JSON object member " + claim);
    }

    private static HeraldException invalid(String message) {
        return new HeraldException(ErrorCode.INVALID_TOKEN, message);
    }
}
