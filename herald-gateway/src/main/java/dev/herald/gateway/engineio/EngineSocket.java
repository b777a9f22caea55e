package dev.herald.gateway.engineio;

import dev.herald.core.deliver.live.DisconnectReason;
import dev.herald.core.deliver.live.Transport;
import dev.herald.core.http.HttpRequest;
import dev.herald.gateway.GatewayConfig;
import dev.herald.gateway.http.HttpReplies;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.concurrent.Future;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/**
 * One Engine.IO session. All its state lives on one event loop (the loop of the connection that
 * made the handshake); requests and frames from other connections hop onto it, so no locks are
 * needed and timers cost no threads. The public methods are safe from any thread.
 *
 * <p>This class is the session's state machine: open, closing (over polling only, until the client
 * has collected the close packet), closed; on polling, then perhaps on WebSocket. Its parts share
 * its loop: {@link Polling} serves the HTTP requests, {@link Upgrade} moves a polling session to
 * WebSocket, {@link Outbox} writes what is sent (once per {@link HandOffHold} batch), and
 * {@link Heartbeat} pings.
 */
public final class EngineSocket {
    private enum State { OPEN, CLOSING, CLOSED }

    static final long NOOP_GRACE_MILLIS = 100;

    private static final EngineSocketHandler NO_HANDLER = new EngineSocketHandler() {
        public void onMessage(EngineSocket s, String text) { }
        public void onBinary(EngineSocket s, byte[] data) { }
        public void onClose(EngineSocket s, DisconnectReason reason) { }
    };

    private final String id;
    private final EventLoop loop; // the state's loop; an upgraded WebSocket may live on another
    private final EngineIoServer server;
    private final HttpRequest handshake;
    private volatile Transport transport;
    private volatile State state = State.OPEN;
    private DisconnectReason closingReason = DisconnectReason.SERVER_SHUTDOWN;
    private EngineSocketHandler handler = NO_HANDLER;
    private Channel ws;

    // The held GET is the parts' common ground: Polling holds it, Outbox answers it, Upgrade ends it.
    private final HeldPoll poll = new HeldPoll();
    private final Outbox outbox = new Outbox(this, poll);
    private final Upgrade upgrade = new Upgrade(this, poll, outbox);
    private final Polling polling;
    private final Heartbeat heartbeat = new Heartbeat(this);
    private final HandOffHold hold;

    EngineSocket(String id, EventLoop loop, EngineIoServer server, HttpRequest handshake, Transport transport) {
        this.id = id;
        this.loop = loop;
        this.server = server;
        this.handshake = handshake;
        this.transport = transport;
        this.hold = new HandOffHold(loop, outbox::runBatch);
        this.polling = new Polling(this, server, poll, outbox, upgrade);
    }

    public String id() {
        return id;
    }

    public Transport transport() {
        return transport;
    }

    /** The handshake request (query, headers, remote address; no body). */
    public HttpRequest handshake() {
        return handshake;
    }

    public EventLoop eventLoop() {
        return loop;
    }

    public boolean isOpen() {
        return state == State.OPEN;
    }

    /** Sets who receives this session's messages; call from {@link EngineListener#onOpen}. */
    public void handler(EngineSocketHandler handler) {
        this.handler = handler;
    }

    /** Queues one packet; returns false when the session is closed. */
    public boolean send(EnginePacket packet) {
        if (state == State.CLOSED) return false;
        onLoop(() -> outbox.add(List.of(packet)));
        return true;
    }

    /** Queues packets that must stay together (a Socket.IO packet and its attachments). */
    public boolean send(List<EnginePacket> packets) {
        if (state == State.CLOSED) return false;
        onLoop(() -> outbox.add(packets));
        return true;
    }

    /**
     * On this session's loop: writes {@code frame} (the whole WebSocket text frame of the one packet
     * given, shared with other sessions; the caller keeps its reference) when the session is on a
     * plain WebSocket with nothing queued, else queues the packets as {@link #send} does. Returns
     * the shared frame's write, or null when the packets were queued instead or the session is closed.
     */
    public ChannelFuture sendShared(List<EnginePacket> packets, io.netty.buffer.ByteBuf frame) {
        if (state == State.CLOSED) return null;
        // Off the loop it is queued; so it is while held (a handshake is greeting the session): the
        // frame must wait behind the CONNECT reply.
        ChannelFuture written = loop.inEventLoop() && !hold.isOpen() ? outbox.writeShared(frame) : null;
        if (written == null) onLoop(() -> outbox.add(packets));
        return written;
    }

    /** Flushes what is queued, tells a polling client with a close packet, then closes. */
    public void close(DisconnectReason reason) {
        onLoop(() -> closeGracefully(reason));
    }

    /** Runs a task on this session's event loop, inline when already there. */
    public void execute(Runnable task) {
        onLoop(task);
    }

    /**
     * Queues a task behind everything already queued for this session, even when called on its own
     * loop, so requests and frames from several connections are handled in the order they were read
     * (an upgrade's "5" read on another loop comes before a poll read later on this one).
     */
    void enqueueTask(Runnable task) {
        loop.execute(task);
    }

    private void onLoop(Runnable task) {
        if (hold.keep(task)) return;
        if (loop.inEventLoop()) task.run();
        else loop.execute(task);
    }

    /**
     * Runs {@code work} on the caller's thread and holds what it (or anyone) sends, executes or
     * closes on this session meanwhile, then hands it all to the loop as one task with one flush
     * (see {@link HandOffHold}). For a burst of sends off the loop, such as a handshake's replies.
     */
    public void batched(Runnable work) {
        hold.hold();
        try {
            work.run();
        } finally {
            hold.release();
        }
    }

    // ---- what the parts read -------------------------------------------------------------------

    GatewayConfig config() {
        return server.config();
    }

    EngineSocketHandler handler() {
        return handler;
    }

    boolean isClosed() {
        return state == State.CLOSED;
    }

    /** The session's WebSocket, once it has one (from the handshake or an upgrade); null while polling. */
    Channel webSocket() {
        return ws;
    }

    // ---- opening -------------------------------------------------------------------------------

    private String openPacket(boolean upgradable) {
        var cfg = server.config();
        return "0{\"sid\":\"" + id + "\",\"upgrades\":" + (upgradable ? "[\"websocket\"]" : "[]")
                + ",\"pingInterval\":" + cfg.protocol().pingInterval().toMillis()
                + ",\"pingTimeout\":" + cfg.protocol().pingTimeout().toMillis()
                + ",\"maxPayload\":" + cfg.limits().maxPayloadBytes() + "}";
    }

    void openPolling(ChannelHandlerContext ctx, boolean keepAlive, boolean upgradable) {
        HttpReplies.text(ctx, 200, openPacket(upgradable), keepAlive);
        heartbeat.start();
    }

    void openWebSocket(Channel channel) {
        this.ws = channel;
        channel.writeAndFlush(new TextWebSocketFrame(openPacket(false)));
        heartbeat.start();
    }

    // ---- heartbeat -----------------------------------------------------------------------------

    /** Sends the heartbeat's ping while the session is open; false once it is closed. */
    boolean ping() {
        if (state == State.OPEN) outbox.add(List.of(EnginePacket.PING));
        return state != State.CLOSED;
    }

    /** True (and the session closed) when the pong deadline passed but its timer has not run yet. */
    boolean pongOverdue() {
        if (state != State.CLOSED && heartbeat.overdue()) closeNow(DisconnectReason.PING_TIMEOUT);
        return state == State.CLOSED;
    }

    // ---- polling -------------------------------------------------------------------------------

    void onPollingGet(ChannelHandlerContext ctx, boolean keepAlive) {
        polling.onGet(ctx, keepAlive);
    }

    void onPollingPost(ChannelHandlerContext ctx, String body, boolean keepAlive) {
        polling.onPost(ctx, body, keepAlive);
    }

    /**
     * A polling POST over maxPayload: the handler may answer through the poll, then the session
     * closes. Returns the write of the poll answer (a done future when no poll was waiting).
     */
    Future<?> onPollingOversized() {
        return polling.onOversized();
    }

    /** A closing session whose last packets (its close packet among them) are out ends now. */
    void closeIfDrained() {
        if (state == State.CLOSING && outbox.isEmpty()) closeNow(closingReason);
    }

    // ---- websocket -----------------------------------------------------------------------------

    /** A WebSocket arrived with this sid: it becomes the probe of an upgrade, if one is allowed. */
    void attachProbe(Channel channel) {
        upgrade.attach(channel);
    }

    void onWsText(Channel channel, String text) {
        if (state == State.CLOSED || upgrade.onText(channel, text) || channel != ws) return;
        EnginePacket packet;
        try {
            packet = EnginePacket.decodeText(text, false);
        } catch (EngineProtocolException e) {
            closeNow(DisconnectReason.PROTOCOL_ERROR);
            return;
        }
        onPacket(packet);
    }

    /**
     * A frame over maxPayload on {@code channel}: the handler may still answer (it has not seen the
     * message), then that WebSocket is closed with {@code closeCode} (1009), as engine.io does.
     */
    void onWsOversized(Channel channel, int closeCode) {
        if (channel == ws && state == State.OPEN) handler.onOversized(this);
        // Written after what onOversized flushed on the same channel, so the client reads that first.
        channel.writeAndFlush(new CloseWebSocketFrame(closeCode, "message too big")).addListener(ChannelFutureListener.CLOSE);
    }

    void onWsBinary(Channel channel, byte[] data) {
        if (state == State.CLOSED || channel != ws) return;
        handler.onBinary(this, data);
    }

    void onWsClosed(Channel channel, boolean failed) {
        if (!upgrade.onClosed(channel) && channel == ws) {
            closeNow(failed ? DisconnectReason.TRANSPORT_ERROR : DisconnectReason.CLIENT_CLOSED);
        }
    }

    /** The upgrade completed: the session is on {@code channel} from now on. */
    void upgraded(Channel channel) {
        ws = channel;
        transport = Transport.WEBSOCKET;
        handler.onUpgrade(this);
    }

    // ---- packets -------------------------------------------------------------------------------

    void onPacket(EnginePacket p) {
        switch (p.type()) {
            case PONG -> heartbeat.onPong();
            case MESSAGE -> {
                if (p.isBinary()) handler.onBinary(this, p.binary());
                else handler.onMessage(this, p.text());
            }
            case CLOSE -> {
                polling.onClientClose();
                closeNow(DisconnectReason.CLIENT_CLOSED);
            }
            case PING, NOOP, UPGRADE -> { }
            case OPEN -> closeNow(DisconnectReason.PROTOCOL_ERROR);
        }
    }

    // ---- closing -------------------------------------------------------------------------------

    void closeGracefully(DisconnectReason reason) {
        if (state != State.OPEN) return;
        if (ws != null) {
            outbox.flushWebSocket();
            closeNow(reason); // nothing left to do when the flush dropped a slow consumer
            return;
        }
        state = State.CLOSING;
        closingReason = reason;
        polling.close(reason);
    }

    /** Ends the session at once: no more sends; the handler hears onClose exactly once. */
    void closeNow(DisconnectReason reason) {
        if (state == State.CLOSED) return;
        state = State.CLOSED;
        heartbeat.stop();
        polling.end(reason);
        outbox.clear();
        upgrade.end();
        outbox.closeWebSocket(reason, handler);
        EngineSocketHandler h = handler;
        handler = NO_HANDLER;
        h.onClose(this, reason);
    }

    static void cancel(ScheduledFuture<?> f) {
        if (f != null) f.cancel(false);
    }
}
