package dev.herald.broker.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * Where Redis is and how to talk to it, read from {@code REDIS_URL}
 * ({@code redis://[[user]:password@]host[:port][/db]}, {@code rediss://} for TLS).
 *
 * <p>{@code commandTimeout} bounds every request/response command (publish, presence scripts);
 * subscriptions never time out so that they survive any outage. After a lost connection Lettuce
 * reconnects with an exponential delay between {@code reconnectMin} and {@code reconnectMax} with
 * equal jitter, so a restarted Redis is not hit by every node at the same instant.
 *
 * <p>The password never appears in {@link #toString()} nor in any message built here.
 */
public record RedisConfig(String host, int port, int database, String username, String password, boolean tls,
                          Duration commandTimeout, Duration reconnectMin, Duration reconnectMax) {
    public static final int DEFAULT_PORT = 6379;
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_RECONNECT_MIN = Duration.ofMillis(100);
    public static final Duration DEFAULT_RECONNECT_MAX = Duration.ofSeconds(10);

    public RedisConfig {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("REDIS_URL: host is missing");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("REDIS_URL: port must be 1..65535, got " + port);
        if (database < 0) throw new IllegalArgumentException("REDIS_URL: database must be >= 0, got " + database);
        if (username != null && username.isEmpty()) username = null;
        if (password != null && password.isEmpty()) password = null;
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        Objects.requireNonNull(reconnectMin, "reconnectMin");
        Objects.requireNonNull(reconnectMax, "reconnectMax");
        if (commandTimeout.isNegative() || commandTimeout.isZero())
            throw new IllegalArgumentException("Redis command timeout must be positive");
        if (reconnectMin.isNegative() || reconnectMax.compareTo(reconnectMin) <= 0)
            throw new IllegalArgumentException("Redis reconnect delays must satisfy 0 <= min < max");
    }

    /** The local default, {@code redis://127.0.0.1:6379/0}. */
    public static RedisConfig localhost() {
        return of("127.0.0.1", DEFAULT_PORT);
    }

    public static RedisConfig of(String host, int port) {
        return new RedisConfig(host, port, 0, null, null, false, DEFAULT_COMMAND_TIMEOUT, DEFAULT_RECONNECT_MIN, DEFAULT_RECONNECT_MAX);
    }

    /**
     * Parses a {@code REDIS_URL}. Messages name the variable and the faulty part, never echo the URL
     * (it may hold the password).
     */
    public static RedisConfig fromUrl(String url) {
        if (url == null || url.isBlank()) throw new IllegalArgumentException("REDIS_URL is empty");
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("REDIS_URL is not a valid URL (expected redis://[user:password@]host[:port][/db])");
        }
        String scheme = uri.getScheme();
        boolean tls;
        if ("redis".equalsIgnoreCase(scheme)) tls = false;
        else if ("rediss".equalsIgnoreCase(scheme)) tls = true;
        else throw new IllegalArgumentException("REDIS_URL must start with redis:// or rediss://");
        if (uri.getHost() == null) throw new IllegalArgumentException("REDIS_URL: host is missing");
        int port = uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort();
        int database = 0;
        String path = uri.getRawPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            try {
                database = Integer.parseInt(path.substring(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("REDIS_URL: the path must be a database number, like /0");
            }
        }
        String username = null, password = null;
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            if (colon < 0) {
                // redis://secret@host is how several clients spell a password-only URL.
                password = decode(userInfo);
            } else {
                username = decode(userInfo.substring(0, colon));
                password = decode(userInfo.substring(colon + 1));
            }
        }
        return new RedisConfig(uri.getHost(), port, database, username, password, tls,
                DEFAULT_COMMAND_TIMEOUT, DEFAULT_RECONNECT_MIN, DEFAULT_RECONNECT_MAX);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    public RedisConfig withReconnectDelays(Duration min, Duration max) {
        return new RedisConfig(host, port, database, username, password, tls, commandTimeout, min, max);
    }

    public RedisConfig withCommandTimeout(Duration timeout) {
        return new RedisConfig(host, port, database, username, password, tls, timeout, reconnectMin, reconnectMax);
    }

    /** The URL with the password masked, for logs and {@code herald config}. */
    public String redactedUrl() {
        String auth = username == null && password == null ? ""
                : (username == null ? "" : username) + (password == null ? "" : ":****") + "@";
        return (tls ? "rediss://" : "redis://") + auth + host + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
        return "RedisConfig[" + redactedUrl() + ", commandTimeout=" + commandTimeout
                + ", reconnect=" + reconnectMin + ".." + reconnectMax + "]";
    }
}
