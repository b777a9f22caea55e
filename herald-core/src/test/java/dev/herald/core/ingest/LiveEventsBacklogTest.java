package dev.herald.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.ErrorCode;
import dev.herald.core.deliver.live.Transport;
import dev.herald.core.memory.MemoryBroker;
import dev.herald.core.memory.MemoryPresenceRegistry;
import dev.herald.core.route.ConnectionInfo;
import dev.herald.core.route.Hub;
import dev.herald.core.testing.FakeSession;
import dev.herald.core.testing.HeldFanOut;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The real-time API refuses, rather than queues, what would take the node's fan-out backlog past its bound. */
class LiveEventsBacklogTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC);
    private final MemoryPresenceRegistry presence = new MemoryPresenceRegistry();
    private final HeldFanOut loops = new HeldFanOut(5);
    private final Hub node = new Hub(new MemoryBroker(new MemoryBroker.Bus())).fanOut(loops);
    private final LiveEvents api = new LiveEvents(node, presence, clock, LiveEventsConfig.DEFAULTS);

    LiveEventsBacklogTest() {
        node.start();
    }

    private FakeSession connect(Hub hub, String userId, String teamId) {
        FakeSession s = new FakeSession(dev.herald.core.auth.Principal.user(userId, teamId), Transport.WEBSOCKET);
        presence.register(new ConnectionInfo(s.id(), userId, teamId, Transport.WEBSOCKET, "n1", clock.instant()));
        hub.join(s, "user:" + userId);
        hub.join(s, "team:" + teamId);
        return s;
    }

    private static ErrorCode refusal(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        return LiveEventsTest.refusal(call);
    }

    @Test
    void refusesARoomEventWithOverloadedWhileTheLoopsHoldTheBound() {
        List<FakeSession> team = List.of(connect(node, "a", "t"), connect(node, "b", "t"), connect(node, "c", "t"));
        api.broadcastToRoom("t", "first", "1", Set.of(), null);

        assertThat(refusal(() -> api.broadcastToRoom("t", "second", "2", Set.of(), null))).isEqualTo(ErrorCode.OVERLOADED);
        assertThat(node.backlog().refusals()).isEqualTo(1);
        loops.drain();
        for (FakeSession s : team) assertThat(s.sentNames()).containsExactly("first");
    }

    @Test
    void refusesUserEventsAndBroadcastsAlikeWhileTheBoundIsHeld() {
        connect(node, "a", "t");
        connect(node, "b", "t");
        api.broadcastToEveryone("fill", "1", Set.of(), null);
        api.broadcastToEveryone("fill", "2", Set.of(), null);

        assertThat(refusal(() -> api.broadcastToEveryone("x", "3", Set.of(), null))).isEqualTo(ErrorCode.OVERLOADED);
        assertThat(refusal(() -> api.sendToUsers(List.of("a", "b"), "x", "3", null))).isEqualTo(ErrorCode.OVERLOADED);
        assertThat(node.backlog().pending()).isEqualTo(4);
    }

    @Test
    void acceptsAgainOnceTheLoopsCaughtUpAndLosesNothingAccepted() {
        FakeSession a = connect(node, "a", "t"), b = connect(node, "b", "t");
        api.broadcastToRoom("t", "m1", "1", Set.of(), null);
        api.broadcastToRoom("t", "m2", "2", Set.of(), null);
        assertThat(refusal(() -> api.broadcastToRoom("t", "m3", "3", Set.of(), null))).isEqualTo(ErrorCode.OVERLOADED);

        loops.drain();
        api.broadcastToRoom("t", "m3", "3", Set.of(), null);
        loops.drain();

        assertThat(a.sentNames()).containsExactly("m1", "m2", "m3");
        assertThat(b.sentNames()).containsExactly("m1", "m2", "m3");
        assertThat(node.backlog().pending()).isZero();
    }

    @Test
    void reachesARoomBiggerThanTheBoundWhenNothingIsQueued() {
        List<FakeSession> team = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) team.add(connect(node, "u" + i, "big"));

        assertThat(api.broadcastToRoom("big", "hello", "1", Set.of(), null).recipientCount()).isEqualTo(8);
        loops.drain();

        for (FakeSession s : team) assertThat(s.sentNames()).containsExactly("hello");
    }

    @Test
    void keepsTheDefaultBoundWhenTheConfigNamesNone() {
        assertThat(new LiveEventsConfig(1000, 10, Duration.ofSeconds(1)).maxFanOutBacklog())
                .isEqualTo(LiveEventsConfig.DEFAULT_MAX_FANOUT_BACKLOG);
    }
}
