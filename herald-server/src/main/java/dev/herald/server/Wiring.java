package dev.herald.server;

import dev.herald.api.auth.JwtConfig;
import dev.herald.server.config.DevSecret;
import dev.herald.server.config.HeraldConfig;
import java.net.URI;

/** Turns the environment's configuration into the modules' own config records. */
final class Wiring {
    private Wiring() {}

    /**
     * HS256 with JWT_SECRET; RS256/ES256 from JWT_JWKS_URL; with neither, HS256 with the secret generated
     * into the data directory, so a fresh `herald serve` and `herald token` agree with no setup.
     */
    static JwtConfig jwtConfig(HeraldConfig config) {
        HeraldConfig.Auth auth = config.auth();
        byte[] secret = auth.jwtSecret().isPresent() || auth.jwksUrl().isEmpty()
                ? DevSecret.resolve(auth, config.storage().dataDir()) : null;
        return new JwtConfig(secret, auth.jwksUrl().map(URI::create).orElse(null), auth.issuer().orElse(null),
                auth.audience().orElse(null), new JwtConfig.Lifetime(JwtConfig.DEFAULT_CLOCK_SKEW,
                        auth.tokens().requireExp(), auth.tokens().maxLifetime()));
    }
}
