package dev.herald.core.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.memory.MemoryBroker;
import dev.herald.core.testing.FakeSession;
import dev.herald.core.testing.HeldBroker;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class HubTest {
    private final MemoryBroker.Bus bus = new MemoryBroker.Bus();

    private Hub startedHub() {
        Hub hub = new Hub(new MemoryBroker(bus));
        hub.start();
        return hub;
    }

    @Test
    void confirmsARoomOnlyOnceTheBrokerConfirmedItsSubscription() {
        HeldBroker broker = new HeldBroker();
        Hub hub = new Hub(broker);
        hub.start();
        hub.join(FakeSession.of("u1", null), "user:u1");
        CompletableFuture<Void> subscribed = hub.subscribed("user:u1").toCompletableFuture();
        assertThat(subscribed).isNotDone();

        broker.confirm();

        assertThat(subscribed).isCompleted();
    }

    @Test
    void makesASecondMemberWaitForTheSubscriptionTheFirstOneStarted() {
        HeldBroker broker = new HeldBroker();
        Hub hub = new Hub(broker);
        hub.start();
        int atStart = broker.asked(); // the everyone room
        hub.join(FakeSession.of("u1", null), "user:u1");

        hub.join(FakeSession.of("u1", null), "user:u1");

        assertThat(broker.asked()).isEqualTo(atStart + 1);
        assertThat(hub.subscribed(List.of("user:u1")).toCompletableFuture()).isNotDone();
        broker.confirm();
        assertThat(hub.subscribed(List.of("user:u1")).toCompletableFuture()).isCompleted();
    }

    @Test
    void deliversToEveryTabOfTheUser() {
        Hub hub = startedHub();
        FakeSession tab1 = FakeSession.of("u1", "t1"), tab2 = FakeSession.of("u1", "t1"), other = FakeSession.of("u2", "t1");
        hub.join(tab1, "user:u1");
        hub.join(tab2, "user:u1");
        hub.join(other, "user:u2");

        hub.emit("user:u1", "notification", "{\"id\":\"n1\"}", Set.of());

        assertThat(tab1.sentNames()).containsExactly("notification");
        assertThat(tab2.sentNames()).containsExactly("notification");
        assertThat(other.sent()).isEmpty();
    }

    @Test
    void reachesMembersOnOtherNodesThroughTheBroker() {
        Hub node1 = startedHub(), node2 = startedHub();
        FakeSession on1 = FakeSession.of("u1", "t1"), on2 = FakeSession.of("u2", "t1");
        node1.join(on1, "team:t1");
        node2.join(on2, "team:t1");

        node1.emit("team:t1", "announcement", "{}", Set.of());

        assertThat(on1.sentNames()).containsExactly("announcement");
        assertThat(on2.sentNames()).containsExactly("announcement");
    }

    @Test
    void leavesOutTheExcludedUsers() {
        Hub hub = startedHub();
        FakeSession a = FakeSession.of("a", "t"), b = FakeSession.of("b", "t");
        hub.join(a, "team:t");
        hub.join(b, "team:t");

        hub.emit("team:t", "e", "1", Set.of("a"));

        assertThat(a.sent()).isEmpty();
        assertThat(b.sentNames()).containsExactly("e");
    }

    @Test
    void encodesABroadcastOnceForAllRecipients() {
        Hub hub = startedHub();
        FakeSession a = FakeSession.of("a", "t"), b = FakeSession.of("b", "t");
        hub.join(a, "team:t");
        hub.join(b, "team:t");

        hub.emit("team:t", "e", "1", Set.of());

        assertThat(a.sent().getFirst()).isSameAs(b.sent().getFirst());
    }

    @Test
    void stopsDeliveringToASessionThatLeftEveryRoom() {
        Hub hub = startedHub();
        FakeSession a = FakeSession.of("a", "t");
        hub.join(a, "team:t");
        hub.join(a, "user:a");

        hub.leaveAll(a);
        hub.emit("team:t", "e", "1", Set.of());
        hub.emit("user:a", "e", "1", Set.of());

        assertThat(a.sent()).isEmpty();
        assertThat(hub.roomsOf(a)).isEmpty();
        assertThat(hub.localMembers("team:t")).isEmpty();
    }

    @Test
    void joiningTwiceIsReportedAndHarmless() {
        Hub hub = startedHub();
        FakeSession a = FakeSession.of("a", "t");
        assertThat(hub.join(a, "room:1")).isTrue();
        assertThat(hub.join(a, "room:1")).isFalse();
        assertThat(hub.leave(a, "room:1")).isTrue();
        assertThat(hub.leave(a, "room:1")).isFalse();
    }

    @Test
    void disconnectsEveryMemberOfARoomWithTheReason() {
        Hub hub = startedHub();
        FakeSession a = FakeSession.of("a", "t"), a2 = FakeSession.of("a", "t");
        hub.join(a, "user:a");
        hub.join(a2, "user:a");

        hub.disconnect("user:a", "account suspended");

        assertThat(a.closedWith().message()).isEqualTo("account suspended");
        assertThat(a2.isOpen()).isFalse();
    }

    @Test
    void handsARoomEmitToTheFanOutOnceWithEveryMemberButTheExcluded() {
        dev.herald.core.testing.HeldFanOut loops = new dev.herald.core.testing.HeldFanOut(0);
        Hub hub = startedHub().fanOut(loops);
        FakeSession a = FakeSession.of("a", "t"), b = FakeSession.of("b", "t"), c = FakeSession.of("c", "t");
        for (FakeSession s : List.of(a, b, c)) hub.join(s, "team:t");

        int accepted = hub.emitLocal("team:t", new dev.herald.core.deliver.live.OutboundEvent("e", "1"), Set.of("c"));

        assertThat(accepted).isEqualTo(2);
        assertThat(hub.backlog().pending()).isEqualTo(2);
        assertThat(a.sent()).isEmpty();
        loops.drain();
        assertThat(a.sentNames()).containsExactly("e");
        assertThat(b.sentNames()).containsExactly("e");
        assertThat(c.sent()).isEmpty();
        assertThat(hub.backlog().pending()).isZero();
    }

    @Test
    void countsWhatAnEmitWouldReachOnThisNode() {
        Hub hub = startedHub();
        hub.join(FakeSession.of("a", "t"), "team:t");
        hub.join(FakeSession.of("b", "t"), "team:t");

        assertThat(hub.localFanOut("team:t")).isEqualTo(2);
        assertThat(hub.localFanOut(Hub.EVERYONE)).isEqualTo(2);
        assertThat(hub.localFanOut("team:none")).isZero();
    }
}
