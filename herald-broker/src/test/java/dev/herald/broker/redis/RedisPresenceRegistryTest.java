package dev.herald.broker.redis;

import dev.herald.core.presence.PresenceRegistry;
import dev.herald.core.presence.PresenceRegistryContract;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The presence contract against the real Redis; each test instance has its own key prefix. */
class RedisPresenceRegistryTest extends PresenceRegistryContract {
    private static RedisConnector connector;
    private static RedisClient plain;
    private static StatefulRedisConnection<String, String> admin;

    private final String prefix = TestRedis.uniquePrefix();
    private final List<RedisPresenceRegistry> made = new ArrayList<>();

    @BeforeAll
    static void connect() {
        connector = RedisConnector.open(TestRedis.config());
        plain = TestRedis.plainClient(TestRedis.config());
        admin = plain.connect();
    }

    @AfterAll
    static void disconnect() {
        admin.close();
        plain.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        connector.close();
    }

    @Override
    protected PresenceRegistry newRegistry() {
        RedisPresenceRegistry registry = new RedisPresenceRegistry(connector, prefix, "node-a", Clock.systemUTC(),
                RedisPresenceRegistry.DEFAULT_NODE_TTL);
        made.add(registry);
        return registry;
    }

    @AfterEach
    void deleteKeys() {
        made.forEach(RedisPresenceRegistry::close);
        TestRedis.deleteKeys(admin, prefix);
    }
}
