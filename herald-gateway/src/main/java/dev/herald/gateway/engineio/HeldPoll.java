package dev.herald.gateway.engineio;

import dev.herald.gateway.http.HttpReplies;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.List;

/**
 * The long-polling GET a client keeps waiting for packets (at most one), the last answer written to
 * one, and an oversized upload's 413 waiting for the next answer (see CappedAggregator): a client
 * that saw the 413 before its poll was answered would reconnect without ever reading why.
 *
 * <p>Threading: the session's event loop only.
 */
final class HeldPoll {
    private ChannelHandlerContext ctx;
    private boolean keepAlive;
    private boolean beforeProbe;
    private ChannelFuture lastAnswer;
    private Promise<Void> awaited;

    boolean isHeld() {
        return ctx != null;
    }

    /** Holds the GET until there is something to answer; it counts as sent before any upgrade probe. */
    void hold(ChannelHandlerContext ctx, boolean keepAlive) {
        this.ctx = ctx;
        this.keepAlive = keepAlive;
        this.beforeProbe = true;
    }

    /** A GET held while no probe was open yet: the one the client had in flight when it opened the probe. */
    boolean heldBeforeProbe() {
        return ctx != null && beforeProbe;
    }

    /** The held GET came during an upgrade: it belongs after it. */
    void arrivedDuringProbe() {
        beforeProbe = false;
    }

    /** False, and the GET let go, when its client gave up on it (the packets wait for the next). */
    boolean stillOpen() {
        if (ctx == null) return false;
        if (ctx.channel().isActive()) return true;
        ctx = null;
        return false;
    }

    /** Answers the held GET with the packets; nothing when none is held. */
    void answer(List<EnginePacket> packets) {
        if (ctx == null) return;
        ChannelHandlerContext c = ctx;
        ctx = null;
        lastAnswer = HttpReplies.send(c, 200, HttpReplies.TEXT, EnginePacket.encodePayload(packets), keepAlive);
        if (awaited != null) {
            Promise<Void> p = awaited;
            awaited = null;
            lastAnswer.addListener(f -> p.trySuccess(null));
        }
    }

    /** Refuses the held GET with 400 and lets it go. */
    void refuse() {
        if (ctx == null) return;
        EngineIoServer.reject(ctx, EngineIoServer.BAD_REQUEST, keepAlive);
        ctx = null;
    }

    /** The last answer's write, or a done future when none was written. */
    Future<?> lastAnswer(EventLoop loop) {
        return lastAnswer == null ? loop.newSucceededFuture(null) : lastAnswer;
    }

    /** Completes once the next answer is written (or {@link #releaseAwaited} is called). */
    Future<?> nextAnswer(EventLoop loop) {
        awaited = loop.newPromise();
        return awaited;
    }

    /** The session ended: nothing will be answered, so whoever waits for an answer stops waiting. */
    void releaseAwaited() {
        if (awaited != null) awaited.trySuccess(null);
        awaited = null;
    }
}
