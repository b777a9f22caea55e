package dev.herald.broker.redis;

import dev.herald.core.route.PresenceRegistry;
import dev.herald.core.route.PresenceRegistryContract;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The presence contract against the real Redis; each test instance has its own key prefix. */
class RedisPresenceRegistryTest extends PresenceRegistryContract {
    private static TestRedis.Clients redis;

    private final String prefix = TestRedis.uniquePrefix();
    private final List<RedisPresenceRegistry> made = new ArrayList<>();

    @BeforeAll
    static void connect() {
        redis = TestRedis.Clients.open();
    }

    @AfterAll
    static void disconnect() {
        redis.close();
    }

    @Override
    protected PresenceRegistry newRegistry() {
        RedisPresenceRegistry registry = new RedisPresenceRegistry(redis.connector(), prefix, "node-a", Clock.systemUTC(),
                RedisPresenceRegistry.DEFAULT_NODE_TTL);
        made.add(registry);
        return registry;
    }

    @AfterEach
    void deleteKeys() {
        made.forEach(RedisPresenceRegistry::close);
        TestRedis.deleteKeys(redis.admin(), prefix);
    }
}
