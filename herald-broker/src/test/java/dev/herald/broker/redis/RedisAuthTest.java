package dev.herald.broker.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.HeraldException;
import dev.herald.core.deliver.live.Transport;
import dev.herald.core.route.ConnectionInfo;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** REDIS_URL passwords reach Redis, and never the error messages. */
class RedisAuthTest {
    private static final ConnectionInfo CONN = new ConnectionInfo("s1", "u1", null, Transport.WEBSOCKET, "n1", Instant.EPOCH);

    @Test
    void authenticatesWithThePasswordFromTheUrl() throws Exception {
        try (RedisServerProcess server = RedisServerProcess.start("--requirepass", "p@ss:w/rd");
             RedisConnector connector = RedisConnector.open(RedisConfig.fromUrl("redis://:p%40ss%3Aw%2Frd@127.0.0.1:" + server.port() + "/0"));
             RedisPresenceRegistry registry = new RedisPresenceRegistry(connector, "herald:", "n1", Clock.systemUTC(),
                     RedisPresenceRegistry.DEFAULT_NODE_TTL)) {
            assertThat(registry.register(CONN)).isEqualTo(1);
        }
    }

    @Test
    void refusesAWrongPasswordWithoutShowingIt() throws Exception {
        try (RedisServerProcess server = RedisServerProcess.start("--requirepass", "right");
             RedisConnector connector = RedisConnector.open(RedisConfig.fromUrl("redis://:wrong-hunter2@127.0.0.1:" + server.port()))) {
            assertThatThrownBy(() -> new RedisPresenceRegistry(connector, "herald:", "n1", Clock.systemUTC(),
                    RedisPresenceRegistry.DEFAULT_NODE_TTL))
                    .isInstanceOf(HeraldException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
        }
    }
}
