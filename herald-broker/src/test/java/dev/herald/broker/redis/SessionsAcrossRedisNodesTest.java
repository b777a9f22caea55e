package dev.herald.broker.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.core.Json;
import dev.herald.core.auth.Principal;
import dev.herald.core.deliver.live.ClientEvent;
import dev.herald.core.deliver.live.ClientLimits;
import dev.herald.core.deliver.live.ConnectionObserver;
import dev.herald.core.deliver.live.HeraldSessionHandler;
import dev.herald.core.deliver.live.OutboundEvent;
import dev.herald.core.memory.MemoryPresenceRegistry;
import dev.herald.core.route.Hub;
import dev.herald.core.route.RoomRules;
import dev.herald.core.testing.FakeSession;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one Redis: a session greeted (or answered) on node A hears what node B publishes to
 * its rooms from that moment on. The race this guards: A subscribes its room's channel when the
 * first local member joins; a publication B makes before Redis has the SUBSCRIBE reaches nobody.
 * Fifty fresh users per test, each with a channel nobody subscribed before, make the window show.
 */
class SessionsAcrossRedisNodesTest {
    private static final int USERS = 50;
    private static TestRedis.Clients redis;

    private final String prefix = TestRedis.uniquePrefix();
    private final RedisBroker brokerA = new RedisBroker(redis.connector(), prefix);
    private final RedisBroker brokerB = new RedisBroker(redis.connector(), prefix);
    private final Hub hubA = new Hub(brokerA);
    private final Hub hubB = new Hub(brokerB);
    private final HeraldSessionHandler nodeA = new HeraldSessionHandler("node-a", hubA, new MemoryPresenceRegistry(),
            new RoomRules(null), new ClientLimits(1_000, 5), Clock.systemUTC(), ConnectionObserver.NONE);
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void connect() {
        redis = TestRedis.Clients.open();
    }

    @AfterAll
    static void disconnect() {
        redis.close();
    }

    SessionsAcrossRedisNodesTest() {
        hubA.start();
        hubB.start();
    }

    @AfterEach
    void closeNodes() {
        brokerA.close();
        brokerB.close();
    }

    @Test
    void deliversWhatAnotherNodePublishesAsSoonAsConnectionReadyWasSent() {
        List<FakeSession> sessions = new ArrayList<>();
        List<String> rooms = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            FakeSession s = FakeSession.of("u-" + run + "-" + i, null);
            nodeA.open(s);
            nodeA.ready(s);
            assertThat(s.sentNames()).contains("connection_ready");
            String room = "user:" + s.principal().userId();
            hubB.emit(room, "notification", Json.write("first " + room), Set.of()).toCompletableFuture().join();
            sessions.add(s);
            rooms.add(room);
        }

        assertEverySessionHeardTheFirstMessage(sessions, rooms);
    }

    @Test
    void deliversWhatAnotherNodePublishesAsSoonAsRoomJoinedWasSent() {
        FakeSession s = FakeSession.of("u-" + run, null);
        nodeA.open(s);
        nodeA.ready(s);
        List<FakeSession> sessions = new ArrayList<>();
        List<String> rooms = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            String room = "channel:c-" + run + "-" + i;
            nodeA.event(s, new ClientEvent("room:join", Json.parse(Json.write(room), "test"), answer -> { }));
            assertThat(s.sent("room:joined")).hasSize(i + 1);
            hubB.emit(room, "notification", Json.write("first " + room), Set.of()).toCompletableFuture().join();
            sessions.add(s);
            rooms.add(room);
        }

        assertEverySessionHeardTheFirstMessage(sessions, rooms);
    }

    /**
     * Node B publishes a marker to each room until every room's marker arrived; Redis keeps one
     * publisher's order within a channel, so a room whose first message is not ahead of its marker
     * lost it.
     */
    private void assertEverySessionHeardTheFirstMessage(List<FakeSession> sessions, List<String> rooms) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            boolean all = true;
            for (int i = 0; i < rooms.size(); i++) {
                String room = rooms.get(i);
                if (heard(sessions.get(i)).contains(Json.write("marker " + room))) continue;
                all = false;
                hubB.emit(room, "notification", Json.write("marker " + room), Set.of()).toCompletableFuture().join();
            }
            return all;
        });
        List<String> lost = new ArrayList<>();
        for (int i = 0; i < rooms.size(); i++) {
            String room = rooms.get(i);
            List<String> heard = heard(sessions.get(i));
            if (!heard.subList(0, heard.indexOf(Json.write("marker " + room))).contains(Json.write("first " + room))) lost.add(room);
        }
        assertThat(lost).as("rooms whose first message never reached the session").isEmpty();
    }

    private static List<String> heard(FakeSession s) {
        return s.sent("notification").stream().map(OutboundEvent::json).toList();
    }
}
