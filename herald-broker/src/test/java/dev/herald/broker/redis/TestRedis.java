package dev.herald.broker.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.UUID;

/** The shared Redis the tests talk to (REDIS_URL, or 127.0.0.1:6379), and per-run isolation. */
final class TestRedis {
    private TestRedis() {}

    static RedisConfig config() {
        String url = System.getenv("REDIS_URL");
        return url == null || url.isBlank() ? RedisConfig.localhost() : RedisConfig.fromUrl(url);
    }

    /** A key prefix no other run uses, so parallel builds never see each other's keys or channels. */
    static String uniquePrefix() {
        return "herald-test:" + UUID.randomUUID().toString().substring(0, 12) + ":";
    }

    /** A plain client, as a backend service would use, independent of the code under test. */
    static RedisClient plainClient(RedisConfig config) {
        return RedisClient.create("redis://" + config.host() + ":" + config.port() + "/" + config.database());
    }

    /** Deletes the keys a test made under its prefix (never anything else). */
    static void deleteKeys(StatefulRedisConnection<String, String> connection, String prefix) {
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
