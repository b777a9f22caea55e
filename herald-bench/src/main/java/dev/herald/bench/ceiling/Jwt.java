package dev.herald.bench.ceiling;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Date;

/** HS256 verification for the ceiling: the same work a real gateway does per handshake, no more. */
final class Jwt {
    record User(String id, String team) {}

    private final MACVerifier verifier;

    Jwt(String secret) {
        try {
            this.verifier = new MACVerifier(secret.getBytes(StandardCharsets.UTF_8));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("JWT secret must be at least 32 bytes for HS256", e);
        }
    }

    /** The token's user, or null when it is malformed, forged or expired. */
    User verify(String token) {
        if (token == null) return null;
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!jwt.verify(verifier)) return null;
            var c = jwt.getJWTClaimsSet();
            Date exp = c.getExpirationTime();
            if (exp != null && exp.before(new Date())) return null;
            String id = c.getStringClaim("user_id");
            if (id == null) id = c.getSubject();
            return id == null ? null : new User(id, c.getStringClaim("team_id"));
        } catch (ParseException | JOSEException e) {
            return null;
        }
    }
}
