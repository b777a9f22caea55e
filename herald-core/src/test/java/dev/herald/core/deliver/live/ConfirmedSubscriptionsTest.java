package dev.herald.core.deliver.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.Json;
import dev.herald.core.memory.MemoryPresenceRegistry;
import dev.herald.core.route.Hub;
import dev.herald.core.route.RoomRules;
import dev.herald.core.testing.FakeSession;
import dev.herald.core.testing.HeldBroker;
import dev.herald.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A session is told it is in its rooms (connection_ready, room:joined) only once the broker
 * confirmed this node's subscriptions, and is never left without a greeting when it cannot.
 */
class ConfirmedSubscriptionsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final HeldBroker broker = new HeldBroker();
    private final Hub hub = new Hub(broker);
    private final MutableClock clock = MutableClock.at("2026-12-01T10:00:00Z");
    private final HeraldSessionHandler handler = new HeraldSessionHandler("node", hub, new MemoryPresenceRegistry(),
            new RoomRules(null), new ClientLimits(100, 5), clock, ConnectionObserver.NONE);

    ConfirmedSubscriptionsTest() {
        hub.start();
    }

    /** Runs the call on its own thread, as the gateway does (a virtual thread per session). */
    private static Thread onSessionThread(Runnable call) {
        return Thread.ofVirtual().start(call);
    }

    /** Waiting shows as the thread parked; a handler that does not wait finishes instead. */
    private static void awaitParkedOrDone(Thread t) {
        await().atMost(PATIENCE).until(() -> t.getState() == Thread.State.TIMED_WAITING || t.getState() == Thread.State.TERMINATED);
    }

    @Test
    void sendsConnectionReadyOnlyOnceTheBrokerConfirmedTheSessionsRooms() {
        FakeSession s = FakeSession.of("alice", "t1");
        handler.open(s);

        Thread ready = onSessionThread(() -> handler.ready(s));
        awaitParkedOrDone(ready);
        assertThat(s.sentNames()).isEmpty();

        broker.confirm();
        await().atMost(PATIENCE).until(() -> s.sentNames().contains("connection_ready"));
        assertThat(s.sentNames()).startsWith("connection_ready", "connected");
    }

    @Test
    void answersRoomJoinedOnlyOnceTheBrokerConfirmedTheRoom() {
        FakeSession s = FakeSession.of("alice", "t1");
        handler.open(s);
        Thread ready = onSessionThread(() -> handler.ready(s));
        awaitParkedOrDone(ready);
        broker.confirm();
        await().atMost(PATIENCE).until(() -> ready.getState() == Thread.State.TERMINATED);
        List<String> answers = new CopyOnWriteArrayList<>();

        Thread join = onSessionThread(() -> handler.event(s, new ClientEvent("room:join", Json.parse("\"channel:news\"", "t"), answers::add)));
        awaitParkedOrDone(join);
        assertThat(s.sent("room:joined")).isEmpty();
        assertThat(answers).isEmpty();

        broker.confirm();
        await().atMost(PATIENCE).until(() -> answers.size() == 1);
        assertThat(s.sent("room:joined")).hasSize(1);
    }

    @Test
    void greetsWithoutWaitingWhileTheBrokerLinkIsDown() {
        handler.confirmSubscriptionsWithin(Duration.ofDays(1));
        hub.linkDown(clock.instant());
        FakeSession s = FakeSession.of("alice", "t1");
        handler.open(s);

        Thread ready = onSessionThread(() -> handler.ready(s));

        await().atMost(PATIENCE).until(() -> ready.getState() == Thread.State.TERMINATED);
        assertThat(s.sentNames()).startsWith("connection_ready", "connected");
    }

    @Test
    void tellsTheSessionToSyncWhenTheConfirmationCameAfterTheGreeting() {
        handler.confirmSubscriptionsWithin(Duration.ZERO);
        FakeSession s = FakeSession.of("alice", "t1");
        handler.open(s);
        Instant asked = clock.instant();
        handler.ready(s);
        assertThat(s.sentNames()).containsExactly("connection_ready", "connected");

        broker.confirm();

        assertThat(s.sentNames()).containsExactly("connection_ready", "connected", HeraldSessionHandler.SYNC_HINT);
        JsonNode hint = Json.parse(s.sent(HeraldSessionHandler.SYNC_HINT).getFirst().json(), "hint");
        assertThat(Instant.parse(hint.path("since").asText())).isEqualTo(asked.minus(OutageRecovery.MARGIN));
    }

    @Test
    void greetsAnywayWhenTheBrokerRefusedTheSubscription() {
        FakeSession s = FakeSession.of("alice", "t1");
        handler.open(s);

        Thread ready = onSessionThread(() -> handler.ready(s));
        awaitParkedOrDone(ready);
        broker.refuse(new IllegalStateException("refused"));

        await().atMost(PATIENCE).until(() -> s.sentNames().contains("connection_ready"));
        assertThat(s.sent(HeraldSessionHandler.SYNC_HINT)).isEmpty();
    }
}
