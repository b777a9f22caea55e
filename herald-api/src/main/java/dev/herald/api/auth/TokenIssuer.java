package dev.herald.api.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Mints HS256 tokens that {@link JwtAuthenticator} accepts with the same {@link JwtConfig}: for the
 * {@code herald token} command, for local development and for tests. Production deployments
 * usually get their tokens from their own identity provider.
 *
 * <p>Threading: thread-safe.
 */
public final class TokenIssuer {
    private final JwtConfig config;
    private final MACSigner signer;
    private final Clock clock;

    public TokenIssuer(JwtConfig config, Clock clock) {
        if (config.hmacSecret() == null) {
            throw new IllegalArgumentException("minting tokens needs JWT_SECRET (HS256); only a JWKS URL is configured");
        }
        this.config = config;
        this.clock = clock;
        try {
            this.signer = new MACSigner(config.hmacSecret());
        } catch (JOSEException e) {
            throw new IllegalArgumentException("JWT_SECRET is not usable for HS256: " + e.getMessage(), e);
        }
    }

    /** A token for a user with {@code user_id} and {@code sub}; team, roles and groups are optional. */
    public String issue(String userId, String teamId, Collection<String> roles, Collection<String> groups, Duration ttl) {
        return issue(userId, teamId, roles, groups, null, ttl);
    }

    public String issue(String userId, String teamId, Collection<String> roles, Collection<String> groups,
                        String email, Duration ttl) {
        Objects.requireNonNull(userId, "userId");
        if (userId.isBlank()) throw new IllegalArgumentException("userId is blank");
        if (ttl == null || ttl.isNegative() || ttl.isZero()) throw new IllegalArgumentException("ttl must be positive");
        Instant now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(userId)
                .claim("user_id", userId)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString());
        if (teamId != null && !teamId.isBlank()) claims.claim("team_id", teamId);
        if (roles != null && !roles.isEmpty()) claims.claim("roles", List.copyOf(roles));
        if (groups != null && !groups.isEmpty()) claims.claim("groups", List.copyOf(groups));
        if (email != null && !email.isBlank()) claims.claim("email", email);
        if (config.issuer() != null) claims.issuer(config.issuer());
        if (config.audience() != null) claims.audience(config.audience());
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(),
                claims.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing failed", e);
        }
        return jwt.serialize();
    }
}
