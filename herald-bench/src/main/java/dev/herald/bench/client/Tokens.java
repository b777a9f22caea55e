package dev.herald.bench.client;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * Mints the HS256 user tokens every target accepts ({@code user_id}, {@code team_id}, {@code sub}),
 * signed with the secret shared with the server under test. Thread-safe.
 */
public final class Tokens {
    private final MACSigner signer;
    private final String team;

    public Tokens(String secret, String team) {
        try {
            // HS256 needs a key of at least 256 bits; the server must be given the same bytes.
            this.signer = new MACSigner(secret.getBytes(StandardCharsets.UTF_8));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("JWT secret must be at least 32 bytes for HS256", e);
        }
        this.team = team;
    }

    public static String userId(int index) {
        return "u" + index;
    }

    public String mint(int userIndex) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(userId(userIndex))
                .claim("user_id", userId(userIndex))
                .claim("team_id", team)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofHours(2))))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing a bench token failed", e);
        }
        return jwt.serialize();
    }
}
