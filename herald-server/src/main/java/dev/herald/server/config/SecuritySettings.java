package dev.herald.server.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Sessions, transport encryption and rate limits (DESIGN §3, §8; seed 003 §14).
 *
 * <ul>
 *   <li>{@code TOKEN_EXPIRING_NOTICE_SECONDS} (60): how long before a token's exp a live session
 *       gets {@code token:expiring}.
 *   <li>{@code TLS_CERT_FILE} / {@code TLS_KEY_FILE}: PEM certificate chain and PKCS#8 private key;
 *       both or neither. With them the client port serves wss:// and https:// only, and gRPC TLS
 *       only; the files are watched and new handshakes get a replaced certificate.
 *   <li>{@code RATE_LIMIT_API_PER_SECOND} (200): REST and gRPC requests per service caller.
 *   <li>{@code RATE_LIMIT_USER_EVENTS_PER_MINUTE} (100, seed 003): client events per user across
 *       all their connections.
 *   <li>{@code RATE_LIMIT_HANDSHAKES_PER_IP_PER_MINUTE} (600): session handshakes per client IP.
 *   <li>{@code RATE_LIMIT_BROADCASTS_PER_MINUTE} (10, seed 003): room broadcasts per caller.
 * </ul>
 * A rate of 0 switches that limit off. With {@code REDIS_URL} the budgets live in Redis and hold
 * across the cluster.
 */
public record SecuritySettings(Duration tokenExpiringNotice, Optional<Tls> tls, RateLimits rateLimits) {

    /** Where the PEM files are; both exist and are readable when the record is built from the environment. */
    public record Tls(Path certFile, Path keyFile) {}

    /** Each rate 0 means: no limit. */
    public record RateLimits(int apiPerSecond, int userEventsPerMinute, int handshakesPerIpPerMinute, int broadcastsPerMinute) {
        public static final RateLimits NONE = new RateLimits(0, 0, 0, 0);
    }

    static SecuritySettings from(Env env) {
        Duration notice = env.seconds("TOKEN_EXPIRING_NOTICE_SECONDS", Duration.ofSeconds(60), 0, 24 * 3600);
        Optional<String> cert = env.get("TLS_CERT_FILE");
        Optional<String> key = env.get("TLS_KEY_FILE");
        if (cert.isPresent() != key.isPresent()) {
            throw new ConfigException(cert.isPresent() ? "TLS_KEY_FILE" : "TLS_CERT_FILE",
                    "must be set together with " + (cert.isPresent() ? "TLS_CERT_FILE" : "TLS_KEY_FILE"));
        }
        Optional<Tls> tls = cert.map(c -> new Tls(readable("TLS_CERT_FILE", c), readable("TLS_KEY_FILE", key.get())));
        var limits = new RateLimits(env.integer("RATE_LIMIT_API_PER_SECOND", 200, 0, 10_000_000),
                env.integer("RATE_LIMIT_USER_EVENTS_PER_MINUTE", 100, 0, 10_000_000),
                env.integer("RATE_LIMIT_HANDSHAKES_PER_IP_PER_MINUTE", 600, 0, 10_000_000),
                env.integer("RATE_LIMIT_BROADCASTS_PER_MINUTE", 10, 0, 10_000_000));
        return new SecuritySettings(notice, tls, limits);
    }

    private static Path readable(String variable, String value) {
        Path path = Path.of(value);
        if (!Files.isReadable(path)) throw new ConfigException(variable, "names no readable file: " + value);
        return path;
    }
}
