package dev.herald.api.auth;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * How user tokens are verified. At least one of {@code hmacSecret} (HS256, {@code JWT_SECRET}) and
 * {@code jwksUrl} (RS256/ES256, {@code JWT_JWKS_URL}) is set. {@code issuer} and {@code audience}
 * are checked only when non-null; {@code lifetime} (null: {@link Lifetime#DEFAULT}) bounds time.
 */
public record JwtConfig(byte[] hmacSecret, URI jwksUrl, String issuer, String audience, Lifetime lifetime) {
    /** RFC 7518 §3.2: an HS256 key must be at least as long as the hash output. */
    public static final int MIN_SECRET_BYTES = 32;
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);
    /** Long enough for {@code herald token --ttl 7d}, short enough that a leaked token dies within a week. */
    public static final Duration DEFAULT_MAX_LIFETIME = Duration.ofDays(7);

    /**
     * The time rules of a token.
     *
     * @param clockSkew how far past {@code exp} (and before {@code nbf} and {@code iat}) a token is
     *     still accepted, because clocks of the issuer and of Herald drift
     * @param requireExp a token without {@code exp} is refused ({@code JWT_REQUIRE_EXP}); without it
     *     such a token would never expire
     * @param maxLifetime the longest {@code exp - iat} (from now when there is no {@code iat})
     *     accepted ({@code JWT_MAX_LIFETIME_SECONDS}); zero means no maximum
     */
    public record Lifetime(Duration clockSkew, boolean requireExp, Duration maxLifetime) {
        public static final Lifetime DEFAULT = new Lifetime(DEFAULT_CLOCK_SKEW, true, DEFAULT_MAX_LIFETIME);

        public Lifetime {
            clockSkew = clockSkew == null ? DEFAULT_CLOCK_SKEW : clockSkew;
            if (clockSkew.isNegative()) throw new IllegalArgumentException("clockSkew must not be negative");
            maxLifetime = maxLifetime == null ? DEFAULT_MAX_LIFETIME : maxLifetime;
            if (maxLifetime.isNegative()) throw new IllegalArgumentException("JWT_MAX_LIFETIME_SECONDS must not be negative (0: no maximum)");
        }

        public boolean bounded() {
            return !maxLifetime.isZero();
        }
    }

    public JwtConfig {
        if (hmacSecret != null) {
            if (hmacSecret.length < MIN_SECRET_BYTES) {
                throw new IllegalArgumentException("JWT_SECRET must be at least " + MIN_SECRET_BYTES
                        + " bytes for HS256, got " + hmacSecret.length);
            }
            hmacSecret = hmacSecret.clone();
        }
        if (hmacSecret == null && jwksUrl == null) {
            throw new IllegalArgumentException("set JWT_SECRET (HS256) or JWT_JWKS_URL (RS256/ES256)");
        }
        if (jwksUrl != null && !("https".equals(jwksUrl.getScheme()) || "http".equals(jwksUrl.getScheme()))) {
            throw new IllegalArgumentException("JWT_JWKS_URL must be an http(s) URL, got " + jwksUrl);
        }
        if (issuer != null && issuer.isBlank()) issuer = null;
        if (audience != null && audience.isBlank()) audience = null;
        lifetime = lifetime == null ? Lifetime.DEFAULT : lifetime;
    }

    /** How far clocks may disagree; see {@link Lifetime#clockSkew}. */
    public Duration clockSkew() {
        return lifetime.clockSkew();
    }

    /** HS256 only, with the secret as UTF-8 bytes (how the seeds' JWT_SECRET is used). */
    public static JwtConfig hs256(String secret) {
        return new JwtConfig(secret.getBytes(StandardCharsets.UTF_8), null, null, null, Lifetime.DEFAULT);
    }

    /** RS256/ES256 only, keys from a JWKS document. */
    public static JwtConfig jwks(URI jwksUrl) {
        return new JwtConfig(null, jwksUrl, null, null, Lifetime.DEFAULT);
    }

    @Override
    public byte[] hmacSecret() {
        return hmacSecret == null ? null : hmacSecret.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JwtConfig c && Arrays.equals(hmacSecret, c.hmacSecret)
                && java.util.Objects.equals(jwksUrl, c.jwksUrl) && java.util.Objects.equals(issuer, c.issuer)
                && java.util.Objects.equals(audience, c.audience) && lifetime.equals(c.lifetime);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(Arrays.hashCode(hmacSecret), jwksUrl, issuer, audience, lifetime);
    }

    /** Never prints the secret: the configuration is logged and shown by {@code herald config}. */
    @Override
    public String toString() {
        return "JwtConfig[hmacSecret=" + (hmacSecret == null ? "none" : "****") + ", jwksUrl=" + jwksUrl
                + ", issuer=" + issuer + ", audience=" + audience + ", lifetime=" + lifetime + "]";
    }
}
