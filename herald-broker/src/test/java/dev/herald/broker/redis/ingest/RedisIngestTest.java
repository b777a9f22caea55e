package dev.herald.broker.redis.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.broker.redis.RedisConnector;
import dev.herald.broker.redis.RedisServerProcess;
import dev.herald.broker.redis.TestRedis;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Seed 002 ingestion against the real Redis, published to by a plain client as a backend would. */
class RedisIngestTest {
    record Emitted(String userId, String event, String json) {}

    private static TestRedis.Clients redis;

    private final String prefix = TestRedis.uniquePrefix() + "user_noti:";
    private final List<Emitted> emitted = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private RedisIngest ingest;

    @BeforeAll
    static void connect() {
        redis = TestRedis.Clients.open();
    }

    @AfterAll
    static void disconnect() {
        redis.close();
    }

    @BeforeEach
    void startIngest() {
        ingest = new RedisIngest(redis.connector(), prefix, (u, e, j) -> emitted.add(new Emitted(u, e, j)), meters);
        ingest.start();
    }

    @AfterEach
    void stopIngest() {
        ingest.close();
    }

    private void publish(String channelSuffix, String message) {
        redis.admin().sync().publish(prefix + channelSuffix, message);
    }

    @Test
    void emitsAnEventEnvelopeAsThatEventToTheUserNamedByTheChannel() {
        publish("user123", "{\"event\":\"order_update\",\"data\":{\"orderId\":42,\"status\":\"shipped\"}}");

        await().atMost(Duration.ofSeconds(5)).until(() -> !emitted.isEmpty());
        assertThat(emitted).containsExactly(new Emitted("user123", "order_update", "{\"orderId\":42,\"status\":\"shipped\"}"));
    }

    @Test
    void emitsAnyOtherJsonAsANotificationCarryingTheWholeMessage() {
        publish("u:with:colons", "{\"title\":\"Hi\",\"event\":\"x\",\"extra\":true}");
        publish("u2", "[1,2]");

        await().atMost(Duration.ofSeconds(5)).until(() -> emitted.size() == 2);
        assertThat(emitted).containsExactly(
                new Emitted("u:with:colons", "notification", "{\"title\":\"Hi\",\"event\":\"x\",\"extra\":true}"),
                new Emitted("u2", "notification", "[1,2]"));
    }

    @Test
    void countsMalformedMessagesAndKeepsDeliveringTheGoodOnes() {
        publish("u1", "not json {");
        publish("u1", "");
        publish("u1", "{\"a\":1} trailing");
        publish("", "{\"event\":\"x\",\"data\":1}");
        publish("u1", "{\"event\":\"disconnect\",\"data\":1}");
        publish("u1", "{\"event\":\"ok\",\"data\":null}");

        await().atMost(Duration.ofSeconds(5)).until(() -> !emitted.isEmpty());
        assertThat(emitted).containsExactly(new Emitted("u1", "ok", "null"));
        assertThat(ingest.malformedCount()).isEqualTo(5);
        assertThat(meters.get("herald.ingest.malformed").tag("source", "redis").counter().count()).isEqualTo(5.0);
    }

    @Test
    void listensOnlyUnderItsPrefixEvenWhenThePrefixHoldsGlobCharacters() {
        ingest.close();
        String globby = TestRedis.uniquePrefix() + "n[*]:";
        ingest = new RedisIngest(redis.connector(), globby, (u, e, j) -> emitted.add(new Emitted(u, e, j)), meters);
        ingest.start();

        redis.admin().sync().publish(globby.replace("[*]", "x") + "u1", "{\"a\":1}");
        redis.admin().sync().publish(globby + "u2", "{\"a\":2}");

        await().atMost(Duration.ofSeconds(5)).until(() -> !emitted.isEmpty());
        assertThat(emitted).containsExactly(new Emitted("u2", "notification", "{\"a\":2}"));
    }
}
