package dev.herald.channels.push.apns;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;

/**
 * The APNs provider token: an ES256 JWT, header {@code kid} the key id, claims {@code iss} the team
 * and {@code iat}; one token is reused for {@link ApnsConfig#tokenLifetime()} (Apple throttles
 * providers that make new ones too often and refuses ones older than an hour), or until APNs says it
 * is expired or invalid. Thread-safe.
 */
final class ApnsProviderToken {
    private final ApnsConfig config;
    private final Clock clock;
    private String token;
    private Instant issued = Instant.MIN;

    ApnsProviderToken(ApnsConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    synchronized String get() {
        Instant now = clock.instant();
        if (token == null || !now.isBefore(issued.plus(config.tokenLifetime()))) {
            token = sign(now);
            issued = now;
        }
        return token;
    }

    /** APNs refused {@code used}: the next send signs a new one. */
    synchronized void refused(String used) {
        if (used.equals(token)) token = null;
    }

    private String sign(Instant now) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(config.keyId()).build(),
                new JWTClaimsSet.Builder().issuer(config.teamId()).issueTime(Date.from(now)).build());
        try {
            jwt.sign(new ECDSASigner(config.key()));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign the APNs provider token: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }
}
