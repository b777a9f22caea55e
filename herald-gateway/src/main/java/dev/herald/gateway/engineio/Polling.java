package dev.herald.gateway.engineio;

import dev.herald.core.deliver.live.DisconnectReason;
import dev.herald.gateway.http.HttpReplies;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.Future;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP long-polling requests of one session: the GET held until there is something to answer
 * (see {@link HeldPoll}), the POST carrying the client's packets, an oversized POST; the close of a
 * polling session, whose last poll collects the close packet; and the sid kept answerable for a
 * moment after the client closes over polling. A session on WebSocket refuses the requests.
 *
 * <p>Threading: the session's event loop only.
 */
final class Polling {
    private final EngineSocket socket;
    private final EngineIoServer server;
    private final HeldPoll poll;
    private final Outbox outbox;
    private final Upgrade upgrade;
    private boolean lingering;
    private ScheduledFuture<?> closeTimer;

    Polling(EngineSocket socket, EngineIoServer server, HeldPoll poll, Outbox outbox, Upgrade upgrade) {
        this.socket = socket;
        this.server = server;
        this.poll = poll;
        this.outbox = outbox;
        this.upgrade = upgrade;
    }

    void onGet(ChannelHandlerContext ctx, boolean keepAlive) {
        if (socket.pongOverdue()) {
            if (lingering) {
                lingering = false; // only the one poll that raced the client's close
                server.remove(socket, DisconnectReason.CLIENT_CLOSED);
                HttpReplies.text(ctx, 200, "6", keepAlive);
            } else {
                EngineIoServer.reject(ctx, EngineIoServer.UNKNOWN_SID, keepAlive);
            }
            return;
        }
        if (socket.webSocket() != null) {
            EngineIoServer.reject(ctx, EngineIoServer.BAD_REQUEST, keepAlive);
            return;
        }
        if (poll.isHeld()) {
            // Two GETs at once is a broken or hostile client: end both and the session.
            EngineIoServer.reject(ctx, EngineIoServer.BAD_REQUEST, keepAlive);
            poll.answer(List.of(EnginePacket.CLOSE));
            socket.closeNow(DisconnectReason.TRANSPORT_ERROR);
            return;
        }
        poll.hold(ctx, keepAlive);
        if (!outbox.isEmpty()) {
            outbox.flushPolling();
        } else if (upgrade.inProgress()) {
            upgrade.onPollDuringProbe();
        }
        socket.closeIfDrained();
    }

    void onPost(ChannelHandlerContext ctx, String body, boolean keepAlive) {
        if (socket.pongOverdue()) {
            EngineIoServer.reject(ctx, EngineIoServer.UNKNOWN_SID, keepAlive);
            return;
        }
        if (socket.webSocket() != null) {
            EngineIoServer.reject(ctx, EngineIoServer.BAD_REQUEST, keepAlive);
            return;
        }
        List<EnginePacket> packets;
        try {
            packets = EnginePacket.decodePayload(body);
        } catch (EngineProtocolException e) {
            EngineIoServer.reject(ctx, EngineIoServer.BAD_REQUEST, keepAlive);
            socket.closeNow(DisconnectReason.PROTOCOL_ERROR);
            return;
        }
        HttpReplies.text(ctx, 200, "ok", keepAlive);
        for (EnginePacket p : packets) {
            if (socket.isClosed()) return;
            socket.onPacket(p);
        }
    }

    /**
     * A POST over maxPayload: the handler may answer through the poll, then the session closes.
     * Returns the write of the poll answer (a done future when no poll was waiting).
     */
    Future<?> onOversized() {
        var loop = socket.eventLoop();
        if (!socket.isOpen()) return loop.newSucceededFuture(null);
        socket.handler().onOversized(socket);
        boolean pollHeld = poll.isHeld();
        socket.closeGracefully(DisconnectReason.PROTOCOL_ERROR);
        if (pollHeld) return poll.lastAnswer(loop);
        if (socket.isClosed()) return loop.newSucceededFuture(null);
        // The client's next poll carries the answer (it polls while its upload is in flight).
        return poll.nextAnswer(loop);
    }

    /** The client sent a close packet: its held poll, if any, ends with a NOOP. */
    void onClientClose() {
        if (poll.isHeld()) {
            poll.answer(List.of(EnginePacket.NOOP));
        } else if (socket.webSocket() == null) {
            // A client closing over polling often has its last poll on another connection, read a
            // moment later: keep the sid answerable (one NOOP) for that moment, as if it came first.
            lingering = true;
        }
    }

    /**
     * The session is closing: the client is told with a close packet behind what is queued, in the
     * held poll or else in the next one.
     */
    void close(DisconnectReason reason) {
        outbox.addClose();
        if (poll.isHeld()) {
            outbox.flushPolling();
            socket.closeIfDrained();
            return;
        }
        // Give a polling client one poll to collect what is queued, then let go.
        closeTimer = socket.eventLoop().schedule(() -> socket.closeNow(reason),
                socket.config().protocol().pingTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The session ended: it leaves the server (a moment later while its sid lingers), and the held poll is told. */
    void end(DisconnectReason reason) {
        EngineSocket.cancel(closeTimer);
        if (lingering) {
            socket.eventLoop().schedule(() -> {
                lingering = false;
                server.remove(socket, reason);
            }, EngineSocket.NOOP_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } else {
            server.remove(socket, reason);
        }
        poll.answer(List.of(EnginePacket.CLOSE));
        poll.releaseAwaited();
    }
}
