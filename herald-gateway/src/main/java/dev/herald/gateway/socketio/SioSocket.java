package dev.herald.gateway.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.deliver.live.DisconnectReason;
import dev.herald.core.deliver.live.Transport;
import dev.herald.core.http.HttpRequest;
import dev.herald.gateway.engineio.EnginePacket;
import dev.herald.gateway.engineio.EngineSocket;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A client's socket in one namespace. Listeners are set before the connection is accepted and are
 * called on the connection's event loop; {@link #emit} and {@link #disconnect} are safe from any
 * thread (encoding happens on the caller's thread, the write on the loop).
 */
public final class SioSocket {
    private final String id;
    private final String nsp;
    private final SioConnection connection;
    // Copy-on-write: listeners are set once before accept and read on every event; most sockets have none.
    private volatile Map<String, EventListener> listeners = Map.of();
    private volatile AnyEventListener anyListener;
    private volatile Consumer<DisconnectReason> disconnectListener;
    private volatile Runnable upgradeListener;
    // Plain fields behind VarHandles, not Atomic* objects: three of those cost 56 bytes on every idle connection.
    private volatile boolean connected; // set on the loop, read anywhere
    private volatile boolean gone;
    private volatile long nextAckId;
    private volatile Map<Long, PendingAck> pendingAcks; // created on the first server-side ack

    private static final VarHandle GONE;
    private static final VarHandle NEXT_ACK_ID;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            GONE = lookup.findVarHandle(SioSocket.class, "gone", boolean.class);
            NEXT_ACK_ID = lookup.findVarHandle(SioSocket.class, "nextAckId", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private record PendingAck(AckCallback callback, ScheduledFuture<?> timer) {
    }

    SioSocket(String id, String nsp, SioConnection connection) {
        this.id = id;
        this.nsp = nsp;
        this.connection = connection;
    }

    /** The socket id the client sees (not the Engine.IO sid). */
    public String id() {
        return id;
    }

    public String namespace() {
        return nsp;
    }

    /** The Engine.IO session this socket travels on (its state lives on that session's event loop). */
    EngineSocket engine() {
        return connection.engine();
    }

    public Transport transport() {
        return connection.engine().transport();
    }

    public HttpRequest handshake() {
        return connection.engine().handshake();
    }

    public boolean isConnected() {
        return connected && !gone;
    }

    public synchronized SioSocket on(String event, EventListener listener) {
        Map<String, EventListener> copy = new java.util.HashMap<>(listeners);
        copy.put(event, listener);
        listeners = Map.copyOf(copy);
        return this;
    }

    private Map<Long, PendingAck> pendingAcks() {
        Map<Long, PendingAck> m = pendingAcks;
        if (m == null) {
            synchronized (this) {
                if (pendingAcks == null) pendingAcks = new ConcurrentHashMap<>();
                m = pendingAcks;
            }
        }
        return m;
    }

    public SioSocket onAny(AnyEventListener listener) {
        this.anyListener = listener;
        return this;
    }

    /** Runs {@code listener} (on the event loop; must not block) when the connection upgrades to WebSocket. */
    public SioSocket onUpgrade(Runnable listener) {
        this.upgradeListener = listener;
        return this;
    }

    void upgraded() {
        Runnable l = upgradeListener;
        if (l != null) l.run();
    }

    public SioSocket onDisconnect(Consumer<DisconnectReason> listener) {
        this.disconnectListener = listener;
        return this;
    }

    /** Emits an event; byte[] and ByteBuffer arguments (at any depth) become binary attachments. */
    public boolean emit(String event, Object... args) {
        ArrayNode data = SioCodec.toArray(event, args);
        return sendPackets(SioCodec.encode(SioPacket.Type.EVENT, nsp, -1, data));
    }

    /** Emits an event and waits up to {@code timeout} for the client's ack. */
    public boolean emitWithAck(String event, Duration timeout, AckCallback callback, Object... args) {
        long ackId = (long) NEXT_ACK_ID.getAndAdd(this, 1L);
        Map<Long, PendingAck> acks = pendingAcks();
        ScheduledFuture<?> timer = connection.engine().eventLoop().schedule(() -> {
            PendingAck p = acks.remove(ackId);
            if (p != null) p.callback().onTimeout();
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        acks.put(ackId, new PendingAck(callback, timer));
        ArrayNode data = SioCodec.toArray(event, args);
        return sendPackets(SioCodec.encode(SioPacket.Type.EVENT, nsp, ackId, data));
    }

    /** Sends pre-encoded Engine.IO packets (a broadcast encoded once for every recipient). */
    public boolean sendPackets(List<EnginePacket> packets) {
        if (gone) return false;
        return connection.engine().send(packets);
    }

    /**
     * Runs {@code work} on the caller's thread, holding everything sent on this socket's connection
     * meanwhile, then writes it all with one hand-off to the loop and one flush, in order.
     */
    public void batched(Runnable work) {
        connection.engine().batched(work);
    }

    /** {@link #sendPackets} of one packet, writing {@code frame}, its shared WebSocket frame, where it can (see {@link EngineSocket#sendShared}). */
    io.netty.channel.ChannelFuture sendShared(List<EnginePacket> packets, io.netty.buffer.ByteBuf frame) {
        if (gone) return null;
        return connection.engine().sendShared(packets, frame);
    }

    /** Leaves the namespace from the server side: the client gets DISCONNECT ("io server disconnect"). */
    public void disconnect(DisconnectReason reason) {
        connection.engine().execute(() -> {
            if (connection.removeSocket(this)) {
                connection.engine().send(SioCodec.encode(SioPacket.Type.DISCONNECT, nsp, -1, null));
            }
            closed(reason);
        });
    }

    /** Closes the whole Engine.IO connection this socket travels on. */
    public void closeConnection(DisconnectReason reason) {
        connection.engine().close(reason);
    }

    // ---- called by the connection on its loop ---------------------------------------------------

    void markConnected() {
        connected = true;
    }

    void onEvent(String event, List<JsonNode> args, long ackId) {
        SioAck ack = ackId < 0 ? null : new OneShotAck(ackId);
        EventListener l = listeners.get(event);
        if (l != null) {
            l.onEvent(args, ack);
            return;
        }
        AnyEventListener any = anyListener;
        if (any != null) any.onEvent(event, args, ack);
    }

    void onAck(long ackId, List<JsonNode> args) {
        Map<Long, PendingAck> acks = pendingAcks;
        PendingAck p = acks == null ? null : acks.remove(ackId);
        if (p == null) return;
        p.timer().cancel(false);
        p.callback().onAck(args);
    }

    /** Runs once: fails pending acks and tells the disconnect listener. */
    void closed(DisconnectReason reason) {
        if (!GONE.compareAndSet(this, false, true)) return;
        Map<Long, PendingAck> acks = pendingAcks;
        for (Long k : acks == null ? List.<Long>of() : new ArrayList<>(acks.keySet())) {
            PendingAck p = acks.remove(k);
            if (p != null) {
                p.timer().cancel(false);
                p.callback().onTimeout();
            }
        }
        Consumer<DisconnectReason> l = disconnectListener;
        if (l != null) l.accept(reason);
    }

    void sendConnectReply() {
        ObjectNode body = SioCodec.MAPPER.createObjectNode().put("sid", id);
        connection.engine().send(SioCodec.encode(SioPacket.Type.CONNECT, nsp, -1, body));
    }

    private final class OneShotAck implements SioAck {
        private final long ackId;
        private final AtomicBoolean sent = new AtomicBoolean();

        OneShotAck(long ackId) {
            this.ackId = ackId;
        }

        @Override
        public void send(Object... args) {
            if (!sent.compareAndSet(false, true)) return;
            sendPackets(SioCodec.encode(SioPacket.Type.ACK, nsp, ackId, SioCodec.toArray(null, args)));
        }

        @Override
        public void sendJson(String json) {
            if (!sent.compareAndSet(false, true)) return;
            String prefix = "/".equals(nsp) ? "3" : "3" + nsp + ",";
            sendPackets(List.of(EnginePacket.message(prefix + ackId + "[" + json + "]")));
        }
    }
}
