package dev.herald.core.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.core.deliver.live.DisconnectReason;
import dev.herald.core.deliver.live.OutboundEvent;
import dev.herald.core.deliver.live.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * What every {@link FanOut} guarantees (see its documentation), run by each adapter: the memory
 * one ({@link FanOut#direct()}) and the gateway's, whose sessions live on event loops.
 */
public abstract class FanOutContract {
    /** The adapter under test, fresh per test. */
    protected abstract FanOut fanOut();

    /** A new open session of the adapter's kind that records every event it is sent. */
    protected abstract Session newSession();

    /** The names of the events the session was sent so far, in order. */
    protected abstract List<String> sentTo(Session session);

    private static OutboundEvent event(String name) {
        return new OutboundEvent(name, "{}");
    }

    private static void until(Supplier<Boolean> condition) {
        await().until(condition::get);
    }

    @Test
    void sendsEveryOpenSessionTheEventOnce() {
        FanOut fanOut = fanOut();
        List<Session> room = new ArrayList<>();
        for (int i = 0; i < 50; i++) room.add(newSession());

        int accepted = fanOut.deliver(room, event("hello"));

        assertThat(accepted).isEqualTo(50);
        until(() -> room.stream().allMatch(s -> sentTo(s).size() == 1));
        room.forEach(s -> assertThat(sentTo(s)).containsExactly("hello"));
    }

    @Test
    void keepsTheOrderOfItsCallsForEachSession() {
        FanOut fanOut = fanOut();
        List<Session> room = List.of(newSession(), newSession(), newSession());

        for (int i = 0; i < 100; i++) fanOut.deliver(room, event("e" + i));

        until(() -> room.stream().allMatch(s -> sentTo(s).size() == 100));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) expected.add("e" + i);
        room.forEach(s -> assertThat(sentTo(s)).containsExactlyElementsOf(expected));
    }

    @Test
    void doesNotCountAClosedSessionAsHavingTakenTheEvent() {
        FanOut fanOut = fanOut();
        Session open = newSession();
        Session closed = newSession();
        closed.close(DisconnectReason.CLIENT_CLOSED);

        int accepted = fanOut.deliver(List.of(open, closed), event("hello"));

        assertThat(accepted).isEqualTo(1);
        until(() -> sentTo(open).size() == 1);
    }

    @Test
    void emptiesItsBacklogOnceEverythingWasWritten() {
        FanOut fanOut = fanOut();
        List<Session> room = List.of(newSession(), newSession());

        fanOut.deliver(room, event("hello"));

        until(() -> room.stream().allMatch(s -> sentTo(s).size() == 1));
        until(() -> fanOut.backlog().pending() == 0);
    }
}
