package dev.herald.broker.redis;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.UUID;

/** The shared Redis the tests talk to (REDIS_URL, or 127.0.0.1:6379), and per-run isolation. */
public final class TestRedis {
    private TestRedis() {}

    public static RedisConfig config() {
        String url = System.getenv("REDIS_URL");
        return url == null || url.isBlank() ? RedisConfig.localhost() : RedisConfig.fromUrl(url);
    }

    /** A key prefix no other run uses, so parallel builds never see each other's keys or channels. */
    public static String uniquePrefix() {
        return "herald-test:" + UUID.randomUUID().toString().substring(0, 12) + ":";
    }

    /** A plain client, as a backend service would use, independent of the code under test. */
    public static RedisClient plainClient(RedisConfig config) {
        return RedisClient.create("redis://" + config.host() + ":" + config.port() + "/" + config.database());
    }

    /**
     * What a test class shares: Herald's connector under test, and a plain client with one admin
     * connection to look at Redis independently of it. Open in {@code @BeforeAll}, close in {@code @AfterAll}.
     */
    public record Clients(RedisConnector connector, RedisClient plain, StatefulRedisConnection<String, String> admin)
            implements AutoCloseable {
        public static Clients open() {
            RedisConnector connector = RedisConnector.open(config());
            RedisClient plain = plainClient(config());
            return new Clients(connector, plain, plain.connect());
        }

        @Override
        public void close() {
            admin.close();
            plain.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            connector.close();
        }
    }

    /** Deletes the keys a test made under its prefix (never anything else). */
    public static void deleteKeys(StatefulRedisConnection<String, String> connection, String prefix) {
        ScanCursor cursor = ScanCursor.INITIAL;
        ScanArgs match = ScanArgs.Builder.matches(escapeGlob(prefix) + "*").limit(500);
        do {
            KeyScanCursor<String> page = connection.sync().scan(cursor, match);
            if (!page.getKeys().isEmpty()) connection.sync().unlink(page.getKeys().toArray(String[]::new));
            cursor = page;
        } while (!cursor.isFinished());
    }

    private static String escapeGlob(String s) {
        return s.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
    }
}
