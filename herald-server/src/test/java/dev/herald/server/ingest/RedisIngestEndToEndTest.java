package dev.herald.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.broker.redis.RedisConnector;
import dev.herald.broker.redis.TestRedis;
import dev.herald.broker.redis.ingest.RedisSendIngest;
import dev.herald.broker.redis.ingest.RedisStreamIngest;
import dev.herald.core.ingest.CreateRequestHandler;
import dev.herald.core.notification.Channel;
import io.lettuce.core.Consumer;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis ingestion into the intake on the embedded store, against the real Redis: seed 001's
 * {@code PUBLISH notifications:send} and the durable Streams group, each on a channel or key unique
 * to the run. Stored rows are read straight from the SQLite file.
 */
class RedisIngestEndToEndTest {
    @TempDir
    Path dataDir;

    private final String prefix = TestRedis.uniquePrefix();
    private final TestRedis.Clients redis = TestRedis.Clients.open();
    private final RedisCommands<String, String> plain = redis.admin().sync();
    private final List<AutoCloseable> open = new ArrayList<>();
    private TestPipeline intake;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open.reversed()) c.close();
        TestRedis.deleteKeys(redis.admin(), prefix);
        redis.close();
    }

    private TestPipeline intake() {
        intake = new TestPipeline(dataDir, EnumSet.of(Channel.IN_APP));
        open.add(intake);
        return intake;
    }

    private RedisSendIngest sendIngest(String channel) {
        RedisSendIngest ingest = new RedisSendIngest(redis.connector(), channel, prefix + "claim:", Duration.ofSeconds(10),
                new CreateRequestHandler(intake.pipeline, "redis"), intake.deadLetters, Clock.systemUTC(), new SimpleMeterRegistry());
        ingest.start();
        open.add(ingest);
        return ingest;
    }

    private RedisStreamIngest streamIngest(String key, String consumer, RedisConnector connector) {
        RedisStreamIngest ingest = new RedisStreamIngest(connector, key, "herald", consumer, Duration.ofMillis(200),
                new CreateRequestHandler(intake.pipeline, "redis"), intake.deadLetters, Clock.systemUTC(), new SimpleMeterRegistry());
        ingest.start();
        open.add(ingest);
        return ingest;
    }

    /** XINFO GROUPS' entry for {@code group}, as a map. */
    private Map<String, Object> group(String key, String group) {
        for (Object g : plain.xinfoGroups(key)) {
            List<?> flat = (List<?>) g;
            Map<String, Object> fields = new java.util.HashMap<>();
            for (int i = 0; i + 1 < flat.size(); i += 2) fields.put(String.valueOf(flat.get(i)), flat.get(i + 1));
            if (group.equals(fields.get("name"))) return fields;
        }
        return Map.of();
    }

    private static String create(String recipient, String title) {
        return "{\"recipients\":[\"" + recipient + "\"],\"type\":\"order\",\"title\":\"" + title + "\"}";
    }

    @Test
    void aCreateRequestPublishedOnNotificationsSendIsStoredOnceByTwoSubscribedNodes() throws Exception {
        intake();
        String channel = prefix + "notifications:send";
        sendIngest(channel);
        sendIngest(channel); // a second node: both receive every message

        assertThat(plain.publish(channel, create("ann", "Shipped"))).isEqualTo(2);
        plain.publish(channel, "{\"recipients\":[\"ann\"],\"title\":\"no type\"}");
        plain.publish(channel, create("bob", "marker"));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(intake.rows("SELECT title FROM notifications WHERE recipient_id = 'bob'")).containsExactly("marker");
            assertThat(intake.deadLetters.recent("redis", 10)).singleElement()
                    .satisfies(d -> assertThat(d.reason()).isEqualTo("INVALID_ARGUMENT: type: required"));
        });
        assertThat(intake.rows("SELECT title FROM notifications WHERE recipient_id = 'ann'")).containsExactly("Shipped");
    }

    @Test
    void entriesADeadConsumerReadAndNeverAckedAreClaimedAndStoredByAnotherNode() throws Exception {
        intake();
        String key = prefix + "notifications:stream";
        plain.xgroupCreate(XReadArgs.StreamOffset.from(key, "0"), "herald", XGroupCreateArgs.Builder.mkstream());
        for (int i = 0; i < 7; i++) plain.xadd(key, Map.of("body", create("user-" + i, "entry " + i)));
        plain.xadd(key, Map.of("body", "not json"));
        // node-a reads the whole batch, then is killed before it stores or acknowledges anything.
        List<StreamMessage<String, String>> taken = plain.xreadgroup(Consumer.from("herald", "node-a"),
                XReadArgs.Builder.count(100), XReadArgs.StreamOffset.lastConsumed(key));
        assertThat(taken).hasSize(8);
        assertThat(plain.xpending(key, "herald").getCount()).isEqualTo(8);

        RedisStreamIngest nodeB = streamIngest(key, "node-b", redis.connector());
        plain.xadd(key, Map.of("body", create("late", "after the start")));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(intake.rows("SELECT count(*) FROM notifications")).containsExactly("8");
            assertThat(plain.xpending(key, "herald").getCount()).isZero();
            assertThat(nodeB.lag()).isZero();
        });
        assertThat(intake.rows("SELECT count(DISTINCT recipient_id) FROM notifications")).containsExactly("8");
        assertThat(intake.deadLetters.recent("redis-stream", 10)).singleElement().satisfies(d -> {
            assertThat(d.reason()).isEqualTo("INVALID_ARGUMENT: not JSON (8 bytes)");
            assertThat(d.body()).isEqualTo("not json");
        });
    }

    @Test
    void anEntryHandledTwiceIsStoredOnce() throws Exception {
        intake();
        String key = prefix + "notifications:stream";
        String id = plain.xadd(key, Map.of("body", create("ann", "once")));
        RedisStreamIngest first = streamIngest(key, "node-a", redis.connector());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(intake.rows("SELECT count(*) FROM notifications")).containsExactly("1"));
        first.close();
        open.remove(first);

        // The same entry again, as after a crash between storing and XACK: a new group reads it from the start.
        plain.xgroupCreate(XReadArgs.StreamOffset.from(key, "0"), "replay", XGroupCreateArgs.Builder.mkstream());
        RedisStreamIngest replay = new RedisStreamIngest(redis.connector(), key, "replay", "node-b", Duration.ofMillis(200),
                new CreateRequestHandler(intake.pipeline, "redis"), intake.deadLetters, Clock.systemUTC(), new SimpleMeterRegistry());
        replay.start();
        open.add(replay);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(group(key, "replay")).containsEntry("last-delivered-id", id).containsEntry("pending", 0L);
        });
        assertThat(intake.rows("SELECT count(*) FROM notifications")).containsExactly("1");
    }
}
