package dev.herald.broker.redis;

import dev.herald.core.route.RoomDirectory;
import dev.herald.core.route.RoomDirectoryContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The room directory contract against the real Redis; each test has its own key prefix. */
class RedisRoomDirectoryTest extends RoomDirectoryContract {
    private static TestRedis.Clients redis;

    private final String prefix = TestRedis.uniquePrefix();
    private final List<RedisRoomDirectory> made = new ArrayList<>();

    @BeforeAll
    static void connect() {
        redis = TestRedis.Clients.open();
    }

    @AfterAll
    static void disconnect() {
        redis.close();
    }

    @Override
    protected RoomDirectory directory(String nodeId) {
        RedisRoomDirectory d = new RedisRoomDirectory(redis.connector(), prefix, nodeId);
        made.add(d);
        return d;
    }

    @AfterEach
    void deleteKeys() {
        made.forEach(RedisRoomDirectory::close);
        TestRedis.deleteKeys(redis.admin(), prefix);
    }
}
