package dev.herald.server;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.herald.api.auth.JwtConfig;
import dev.herald.api.auth.TokenIssuer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Tokens for end-to-end tests: good ones for several users, and one of each kind of bad one. */
final class TestTokens {
    static final String SECRET = "e2e-secret-0123456789abcdef0123456789abcdef";
    static final String API_KEY = "e2e-api-key-0123456789abcdef";

    private final TokenIssuer issuer = new TokenIssuer(JwtConfig.hs256(SECRET), Clock.systemUTC());

    String user(String userId, String teamId) {
        return issuer.issue(userId, teamId, List.of(), List.of(), Duration.ofHours(1));
    }

    String expired(String userId) {
        Clock past = Clock.offset(Clock.systemUTC(), Duration.ofHours(-3));
        return new TokenIssuer(JwtConfig.hs256(SECRET), past).issue(userId, null, List.of(), List.of(), Duration.ofHours(1));
    }

    String wrongKey(String userId) {
        return new TokenIssuer(JwtConfig.hs256("another-secret-0123456789abcdef0123456789"), Clock.systemUTC())
                .issue(userId, null, List.of(), List.of(), Duration.ofHours(1));
    }

    /** An unsigned token ({@code alg: none}) claiming to be the user. */
    static String unsigned(String userId) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        long exp = System.currentTimeMillis() / 1000 + 3600;
        String claims = b64.encodeToString(("{\"user_id\":\"" + userId + "\",\"exp\":" + exp + "}").getBytes(StandardCharsets.UTF_8));
        return header + "." + claims + ".";
    }

    /** Correctly signed, but naming no user. */
    static String withoutUser() {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                    .claim("team_id", "team-1").expirationTime(new java.util.Date(System.currentTimeMillis() + 3_600_000)).build());
            jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The set the Node interop suite expects in HERALD_TOKENS. */
    Map<String, String> interopSet() {
        Map<String, String> t = new LinkedHashMap<>();
        for (String u : List.of("alice", "bob", "dave", "erin", "frank")) t.put(u, user(u, "team-1"));
        t.put("carol", user("carol", "team-2"));
        t.put("expired", expired("alice"));
        t.put("badsig", wrongKey("alice"));
        t.put("none", unsigned("alice"));
        t.put("nouser", withoutUser());
        return t;
    }
}
