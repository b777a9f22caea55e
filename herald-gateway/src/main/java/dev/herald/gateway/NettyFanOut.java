package dev.herald.gateway;

import dev.herald.core.deliver.live.OutboundEvent;
import dev.herald.core.deliver.live.Session;
import dev.herald.core.route.FanOut;
import dev.herald.core.route.FanOutBacklog;
import io.netty.channel.EventLoop;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * The hub's {@link FanOut} onto the gateway's event loops: each send to a {@link LoopBound} session
 * runs on its loop, and every delivery handed to a loop is counted in the {@link FanOutBacklog}
 * until the loop ran it, so a publisher can be refused before the loops' unbounded task queues
 * hold seconds of messages. Sessions of no loop (tests, other transports) are sent to in place.
 *
 * <p>Threading: {@link #deliver} is safe from any thread and never blocks.
 */
public final class NettyFanOut implements FanOut {
    private final FanOutBacklog backlog;

    public NettyFanOut(FanOutBacklog backlog) {
        this.backlog = backlog;
    }

    @Override
    public FanOutBacklog backlog() {
        return backlog;
    }

    @Override
    public int deliver(List<Session> sessions, OutboundEvent event) {
        int accepted = 0;
        for (Session s : sessions) {
            if (s instanceof LoopBound b && !b.eventLoop().inEventLoop()) {
                if (!s.isOpen()) continue;
                accepted++;
                handOff(b.eventLoop(), s, event);
            } else if (s.send(event)) {
                accepted++;
            }
        }
        return accepted;
    }

    private void handOff(EventLoop loop, Session s, OutboundEvent event) {
        backlog.handedOff(1);
        try {
            loop.execute(() -> {
                try {
                    s.send(event);
                } finally {
                    backlog.written(1);
                }
            });
        } catch (RejectedExecutionException e) {
            // The loop is shutting down and its channels with it: nothing will be written.
            backlog.written(1);
        }
    }
}
