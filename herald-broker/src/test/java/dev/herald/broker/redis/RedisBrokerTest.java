package dev.herald.broker.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.core.route.Broker;
import dev.herald.core.route.BrokerContract;
import dev.herald.core.route.RoomMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The broker contract against the real Redis; each test instance has its own channel prefix. */
class RedisBrokerTest extends BrokerContract {
    private static TestRedis.Clients redis;

    private final String prefix = TestRedis.uniquePrefix();
    private final List<RedisBroker> nodes = new ArrayList<>();
    private final Set<String> roomsSeen = new HashSet<>();

    @BeforeAll
    static void connect() {
        redis = TestRedis.Clients.open();
    }

    @AfterAll
    static void disconnect() {
        redis.close();
    }

    @Test
    void dropsFramesItCannotReadAndKeepsDelivering() {
        RedisBroker node = (RedisBroker) newNode();
        List<RoomMessage> inbox = new CopyOnWriteArrayList<>();
        node.start((room, message) -> inbox.add(message));
        node.subscribe("room:m");
        awaitSubscriptions();

        redis.admin().sync().publish(node.channelOf("room:m"), "garbage");
        node.publish("room:m", new RoomMessage.Disconnect("bye")).toCompletableFuture().join();

        await().atMost(Duration.ofSeconds(5)).until(() -> !inbox.isEmpty());
        assertThat(inbox).containsExactly(new RoomMessage.Disconnect("bye"));
        assertThat(node.malformedCount()).isEqualTo(1);
        node.close();
    }

    @Override
    protected Broker newNode() {
        RedisBroker broker = new RedisBroker(redis.connector(), prefix);
        nodes.add(broker);
        return broker;
    }

    /** Waits until Redis itself reports, per channel, as many subscribers as nodes asked for it. */
    @Override
    protected void awaitSubscriptions() {
        Map<String, Long> expected = new HashMap<>();
        for (RedisBroker node : nodes) {
            for (String room : node.rooms()) {
                roomsSeen.add(room);
                expected.merge(node.channelOf(room), 1L, Long::sum);
            }
        }
        for (String room : roomsSeen) expected.putIfAbsent(nodes.getFirst().channelOf(room), 0L);
        String[] channels = expected.keySet().toArray(String[]::new);
        await().atMost(Duration.ofSeconds(5)).until(() -> redis.admin().sync().pubsubNumsub(channels).equals(expected));
    }
}
