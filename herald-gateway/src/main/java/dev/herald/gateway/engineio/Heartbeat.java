package dev.herald.gateway.engineio;

import dev.herald.core.deliver.live.DisconnectReason;
import io.netty.channel.EventLoop;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One session's Engine.IO heartbeat: a ping every pingInterval, and the session closed when no pong
 * came within pingTimeout of it. One pending timer at a time (the ping, then the deadline) rather
 * than two: half the scheduled tasks, half the cancellations per pong, and less heap on every idle
 * connection. The loop's ticker is the clock, not System.nanoTime: timers and tests
 * (EmbeddedChannel) share it.
 *
 * <p>Threading: the session's event loop only.
 */
final class Heartbeat {
    private final EngineSocket socket;
    private ScheduledFuture<?> timer;
    private boolean awaitingPong;
    private long pongDue;

    Heartbeat(EngineSocket socket) {
        this.socket = socket;
    }

    /** Schedules the next ping, and with it the deadline of its pong. */
    void start() {
        long interval = socket.config().protocol().pingInterval().toNanos();
        long timeout = socket.config().protocol().pingTimeout().toNanos();
        EventLoop loop = socket.eventLoop();
        // The deadline hangs off the same instant as the ping, so a late ping does not stretch it.
        pongDue = loop.ticker().nanoTime() + interval + timeout;
        awaitingPong = true;
        timer = loop.schedule(this::ping, interval, TimeUnit.NANOSECONDS);
    }

    private void ping() {
        if (!socket.ping()) return;
        EventLoop loop = socket.eventLoop();
        timer = loop.schedule(() -> socket.closeNow(DisconnectReason.PING_TIMEOUT),
                Math.max(0, pongDue - loop.ticker().nanoTime()), TimeUnit.NANOSECONDS);
    }

    /** True when the pong deadline has passed, though its timer may not have run yet. */
    boolean overdue() {
        return awaitingPong && socket.eventLoop().ticker().nanoTime() - pongDue >= 0;
    }

    void onPong() {
        if (!awaitingPong) return;
        awaitingPong = false;
        stop();
        start();
    }

    void stop() {
        if (timer != null) timer.cancel(false);
    }
}
