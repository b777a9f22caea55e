package dev.herald.broker.redis.ingest;

import static org.awaitility.Awaitility.await;

import dev.herald.broker.redis.RedisConnector;
import dev.herald.broker.redis.RedisServerProcess;
import dev.herald.broker.redis.TestRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The ingest across a Redis crash, on a private redis-server this test starts, kills and starts again. */
class RedisIngestRestartTest {
    @Test
    void receivesMessagesPublishedAfterRedisCameBack() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        try (RedisServerProcess server = RedisServerProcess.start();
             RedisConnector connector = RedisConnector.open(server.config()
                     .withReconnectDelays(Duration.ofMillis(20), Duration.ofMillis(200)))) {
            RedisIngest ingest = new RedisIngest(connector, "user_noti:", (u, e, j) -> received.add(u + " " + j),
                    new SimpleMeterRegistry());
            ingest.start();
            RedisClient plain = TestRedis.plainClient(server.config());
            try {
                try (StatefulRedisConnection<String, String> c = plain.connect()) {
                    c.sync().publish("user_noti:u1", "{\"n\":1}");
                }
                await().atMost(Duration.ofSeconds(5)).until(() -> received.contains("u1 {\"n\":1}"));

                server.kill();
                server.launch();

                // Pub/sub keeps no history: publish until the re-subscribed ingest hears one.
                try (StatefulRedisConnection<String, String> c = plain.connect()) {
                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
                        c.sync().publish("user_noti:u1", "{\"n\":2}");
                        return received.contains("u1 {\"n\":2}");
                    });
                }
            } finally {
                ingest.close();
                plain.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        }
    }
}
