package dev.herald.gateway.engineio;

import dev.herald.core.deliver.live.DisconnectReason;
import dev.herald.gateway.WsFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The packets one session has to send and their way out: over its WebSocket as frames, else as the
 * answer to its held poll, within the client's maxPayload. A polling client that lets more than
 * outboundBufferBytes pile up, or a WebSocket past its high-water mark, is a slow consumer and is
 * dropped rather than buffered for.
 *
 * <p>A batch handed over by {@link HandOffHold} runs with flushes deferred: its packets go out in one
 * flush at its end, so a handshake's replies cost one write system call.
 *
 * <p>Threading: the session's event loop only.
 */
final class Outbox {
    // A failed task is the session's: it is logged under the session's name.
    private static final Logger log = LoggerFactory.getLogger(EngineSocket.class);

    private final EngineSocket socket;
    private final HeldPoll poll;
    // Sized for the few packets a session has in flight: the default (16) costs ~56 bytes more per idle connection.
    private final ArrayDeque<EnginePacket> queue = new ArrayDeque<>(2);
    private long queuedWeight;
    // True while a held batch runs: its packets are flushed once, at its end.
    private boolean batching;
    /** The WebSocket last asked whether it takes a shared frame as is ({@link WsFrames#plain}), and its answer. */
    private Channel plainAsked;
    private boolean plain;

    Outbox(EngineSocket socket, HeldPoll poll) {
        this.socket = socket;
        this.poll = poll;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Queues the packets and, unless a batch is running, sends what the transport takes now. */
    void add(List<EnginePacket> packets) {
        if (socket.isClosed()) return;
        for (EnginePacket p : packets) {
            queue.add(p);
            queuedWeight += p.weight();
        }
        if (!batching) flush();
    }

    /** Queues a closing session's close packet, to go out after everything queued before it. */
    void addClose() {
        queue.add(EnginePacket.CLOSE);
    }

    void clear() {
        queue.clear();
        queuedWeight = 0;
    }

    /** Runs the batch's tasks in order, then flushes once. */
    void runBatch(List<Runnable> tasks) {
        batching = true;
        try {
            for (Runnable task : tasks) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    // As Netty's loop does for a failed task: the others still run.
                    log.warn("session {} task failed", socket.id(), e);
                }
            }
        } finally {
            batching = false;
        }
        if (!socket.isClosed()) flush();
    }

    /**
     * Writes {@code frame} (a whole WebSocket text frame shared with other sessions; the caller keeps
     * its reference) when the session is on a plain WebSocket with nothing queued ahead of it.
     * Returns its write, or null when it cannot go at once and the packets must be queued instead.
     */
    ChannelFuture writeShared(ByteBuf frame) {
        Channel ch = socket.webSocket();
        if (ch == null || !queue.isEmpty() || !plain(ch)) return null;
        ChannelFuture written = ch.write(frame.retainedDuplicate());
        ch.flush();
        if (!ch.isWritable()) socket.closeNow(DisconnectReason.SLOW_CONSUMER); // as flushWebSocket
        return written;
    }

    private boolean plain(Channel ch) {
        if (ch != plainAsked) {
            plain = WsFrames.plain(ch);
            plainAsked = ch;
        }
        return plain;
    }

    private void flush() {
        if (socket.webSocket() != null) {
            flushWebSocket();
        } else if (queuedWeight > socket.config().limits().outboundBufferBytes()) {
            socket.closeNow(DisconnectReason.SLOW_CONSUMER);
        } else {
            flushPolling();
        }
    }

    /** Answers the held poll, if any, with what is queued, as much as the client's maxPayload allows. */
    void flushPolling() {
        if (queue.isEmpty() || !poll.stillOpen()) return;
        List<EnginePacket> batch = new ArrayList<>();
        long budget = socket.config().limits().maxPayloadBytes();
        while (!queue.isEmpty()) {
            EnginePacket next = queue.peek();
            int w = next.weight();
            if (!batch.isEmpty() && w > budget) break; // respect the client's maxPayload
            batch.add(queue.poll());
            queuedWeight -= w;
            budget -= w;
        }
        poll.answer(batch);
    }

    /** Writes everything queued to the WebSocket, if the session has one, in one flush. */
    void flushWebSocket() {
        Channel ch = socket.webSocket();
        if (ch == null || queue.isEmpty()) return;
        for (EnginePacket p : queue) {
            ch.write(p.isBinary() ? new BinaryWebSocketFrame(Unpooled.wrappedBuffer(p.binary()))
                    : new TextWebSocketFrame(Unpooled.wrappedBuffer(p.utf8())));
        }
        clear();
        ch.flush();
        if (!ch.isWritable()) {
            // The kernel buffer and our high-water mark are full: the client is not reading.
            socket.closeNow(DisconnectReason.SLOW_CONSUMER);
        }
    }

    /** The session ended for {@code reason}: its WebSocket, if it has one, gets a close frame and closes. */
    void closeWebSocket(DisconnectReason reason, EngineSocketHandler handler) {
        Channel ch = socket.webSocket();
        if (ch == null) return;
        if (!ch.isActive()) {
            ch.close();
        } else if (reason.equals(DisconnectReason.SLOW_CONSUMER)) {
            // Past the high-water mark, but the goodbye is a few bytes: the client reads it after its
            // backlog if it reads at all, and has pingTimeout to do so before the hard close.
            for (EnginePacket p : handler.farewell(reason)) ch.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(p.utf8())));
            ch.writeAndFlush(new CloseWebSocketFrame(1000, null)).addListener(ChannelFutureListener.CLOSE);
            ch.eventLoop().schedule(() -> ch.close(), socket.config().protocol().pingTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } else {
            int code = reason.equals(DisconnectReason.PROTOCOL_ERROR) ? 1002 : 1000;
            ch.writeAndFlush(new CloseWebSocketFrame(code, null)).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
