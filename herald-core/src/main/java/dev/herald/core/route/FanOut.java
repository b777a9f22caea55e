package dev.herald.core.route;

import dev.herald.core.deliver.live.OutboundEvent;
import dev.herald.core.deliver.live.Session;
import java.util.List;

/**
 * Hands one event to many local sessions: how the {@link Hub} reaches a room's members. The
 * gateway's adapter ({@code NettyFanOut}) moves the writes onto the sessions' event loops and counts
 * them in its {@link FanOutBacklog}; {@link #direct()} calls {@link Session#send} in place.
 *
 * <p>Guarantees: every open session given is sent the event once, in the order of the calls for
 * the same session; what was handed off is never dropped unless its session closes (a slow client
 * is dropped by its bounded buffer, {@link dev.herald.core.deliver.live.DisconnectReason#SLOW_CONSUMER}).
 *
 * <p>Threading: {@link #deliver} is called on the emitting thread (the broker's, a virtual
 * thread's, an event loop's), must not block, and may return before anything is written.
 */
public interface FanOut {
    /**
     * Sends the event to each session; returns how many took it (were open when handed off), the
     * rest being closed or dropped. The hub never passes the same session twice in one call.
     */
    int deliver(List<Session> sessions, OutboundEvent event);

    /** What this fan-out handed to its executors and they have not written yet. */
    FanOutBacklog backlog();

    /** {@link Session#send} on the caller's thread; nothing is ever queued here, so its backlog stays 0. */
    static FanOut direct() {
        FanOutBacklog none = FanOutBacklog.unbounded();
        return new FanOut() {
            @Override
            public int deliver(List<Session> sessions, OutboundEvent event) {
                int sent = 0;
                for (Session s : sessions) if (s.send(event)) sent++;
                return sent;
            }

            @Override
            public FanOutBacklog backlog() {
                return none;
            }
        };
    }
}
