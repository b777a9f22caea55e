package dev.herald.gateway;

import dev.herald.core.deliver.live.OutboundEvent;
import dev.herald.core.deliver.live.Session;
import dev.herald.core.route.FanOut;
import dev.herald.core.route.FanOutBacklog;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;

/**
 * The hub's {@link FanOut} onto the gateway's event loops: each send to a {@link LoopBound} session
 * runs on its loop, and every delivery handed to a loop is counted in the {@link FanOutBacklog}
 * until the loop ran it, so a publisher can be refused before the loops' unbounded task queues
 * hold seconds of messages. Sessions of no loop (tests, other transports) are sent to in place.
 *
 * <p>One message to a room costs one task per loop, carrying that loop's members, not one per
 * member: a 5 000-member room on 4 loops was 5 000 queue insertions, wake-ups and task objects per
 * message, and is now 4. Each member's channel is written and flushed once in that task. Members
 * that {@link SharesFrames} are written one frame encoded once per message and encoding
 * ({@link WsFrames}), each a retained duplicate of it; the frame is released once every lane ran.
 * A shared frame's delivery stays in the backlog until its write left the channel's outbound buffer,
 * where a fast loop's backlog waits for slow clients.
 *
 * <p>Threading: {@link #deliver} is safe from any thread and never blocks.
 */
public final class NettyFanOut implements FanOut {
    private final FanOutBacklog backlog;
    /** A shared frame's write left the channel's outbound buffer (reached the kernel, failed, or closed). */
    private final io.netty.util.concurrent.GenericFutureListener<io.netty.util.concurrent.Future<? super Void>> wroteOne;

    public NettyFanOut(FanOutBacklog backlog) {
        this.backlog = backlog;
        this.wroteOne = f -> backlog.written(1);
    }

    @Override
    public FanOutBacklog backlog() {
        return backlog;
    }

    @Override
    public int deliver(List<Session> sessions, OutboundEvent event) {
        int accepted = 0;
        // A node has a handful of loops: a list scanned per session beats a map.
        List<Lane> lanes = new ArrayList<>(4);
        // One frame per message per encoding (a namespace, /ws), owned here until every lane took its reference.
        Map<Object, ByteBuf> frames = new HashMap<>(4);
        try {
            for (Session s : sessions) {
                if (s instanceof LoopBound b && !b.eventLoop().inEventLoop()) {
                    if (!s.isOpen()) continue;
                    accepted++;
                    if (s instanceof SharesFrames f) {
                        frames.computeIfAbsent(f.frameKey(), k -> WsFrames.text(ByteBufAllocator.DEFAULT, f.framePayload(event)));
                    }
                    lane(lanes, b.eventLoop(), sessions.size()).sessions.add(s);
                } else if (s.send(event)) {
                    accepted++;
                }
            }
            for (Lane lane : lanes) handOff(lane, event, frames);
        } finally {
            for (ByteBuf f : frames.values()) f.release();
        }
        return accepted;
    }

    /** One loop's share of one message. */
    private record Lane(EventLoop loop, List<Session> sessions) {
    }

    private static Lane lane(List<Lane> lanes, EventLoop loop, int expected) {
        for (Lane l : lanes) if (l.loop == loop) return l;
        Lane l = new Lane(loop, new ArrayList<>(Math.min(expected, 1024)));
        lanes.add(l);
        return l;
    }

    private void handOff(Lane lane, OutboundEvent event, Map<Object, ByteBuf> frames) {
        int n = lane.sessions.size();
        backlog.handedOff(n);
        for (ByteBuf f : frames.values()) f.retain(); // this lane's reference, released when it ran
        try {
            lane.loop.execute(() -> {
                int onWrites = 0; // deliveries whose write's completion takes them off the backlog
                try {
                    for (Session s : lane.sessions) {
                        if (s instanceof SharesFrames f) {
                            io.netty.channel.ChannelFuture w = f.sendFrame(event, frames.get(f.frameKey()));
                            if (w != null) {
                                onWrites++;
                                w.addListener(wroteOne);
                            }
                        } else {
                            s.send(event);
                        }
                    }
                } finally {
                    for (ByteBuf f : frames.values()) f.release();
                    backlog.written(n - onWrites);
                }
            });
        } catch (RejectedExecutionException e) {
            // The loop is shutting down and its channels with it: nothing will be written.
            for (ByteBuf f : frames.values()) f.release();
            backlog.written(n);
        }
    }
}
