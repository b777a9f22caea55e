package dev.herald.gateway.socketio;

import dev.herald.core.auth.Principal;
import dev.herald.core.deliver.live.DisconnectReason;
import dev.herald.core.deliver.live.OutboundEvent;
import dev.herald.core.deliver.live.Session;
import dev.herald.core.deliver.live.Transport;
import dev.herald.gateway.engineio.EnginePacket;
import dev.herald.gateway.http.HttpReplies;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * A Herald {@link Session} over one Socket.IO namespace socket. See the package documentation for
 * what the client sees on close.
 */
final class SocketIoSession implements Session, dev.herald.gateway.SharesFrames {
    private final SioSocket socket;
    private volatile Principal principal;
    private final NamespaceKey encodingKey;
    private volatile boolean closing; // a plain field behind a VarHandle: an AtomicBoolean is 16 more bytes per connection
    private static final VarHandle CLOSING;

    static {
        try {
            CLOSING = MethodHandles.lookup().findVarHandle(SocketIoSession.class, "closing", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** One key per namespace: a broadcast is encoded once per namespace prefix. */
    record NamespaceKey(String nsp) {
    }

    SocketIoSession(SioSocket socket, Principal principal, NamespaceKey encodingKey) {
        this.socket = socket;
        this.principal = principal;
        this.encodingKey = encodingKey;
    }

    @Override
    public String id() {
        return socket.id();
    }

    @Override
    public Principal principal() {
        return principal;
    }

    @Override
    public void replacePrincipal(Principal refreshed) {
        principal = refreshed;
    }

    @Override
    public Transport transport() {
        return socket.transport();
    }

    SioSocket socket() {
        return socket;
    }

    /** The Engine.IO session's loop: a send made there is queued and written at once, with no hop. */
    @Override
    public io.netty.channel.EventLoop eventLoop() {
        return socket.engine().eventLoop();
    }

    @Override
    public boolean send(OutboundEvent event) {
        if (closing) return false;
        return socket.sendPackets(packets(event));
    }

    private List<EnginePacket> packets(OutboundEvent event) {
        return event.encoded(encodingKey, e ->
                List.of(EnginePacket.message(SioCodec.eventPrefix(encodingKey.nsp()) + "[" + SioCodec.quote(e.name()) + "," + e.json() + "]")));
    }

    @Override
    public Object frameKey() {
        return encodingKey;
    }

    @Override
    public byte[] framePayload(OutboundEvent event) {
        return packets(event).getFirst().utf8();
    }

    @Override
    public io.netty.channel.ChannelFuture sendFrame(OutboundEvent event, io.netty.buffer.ByteBuf frame) {
        if (closing) return null;
        return socket.sendShared(packets(event), frame);
    }

    /** The ack's first argument goes back as JSON text; binary attachments in it are not kept. */
    @Override
    public boolean sendWithAck(OutboundEvent event, java.time.Duration timeout,
                               java.util.function.Consumer<java.util.Optional<String>> answer) {
        if (closing) return false;
        com.fasterxml.jackson.databind.JsonNode argument;
        try {
            argument = SioCodec.MAPPER.readTree(event.json());
        } catch (java.io.IOException e) {
            return false;
        }
        return socket.emitWithAck(event.name(), timeout, new AckCallback() {
            @Override
            public void onAck(List<com.fasterxml.jackson.databind.JsonNode> args) {
                answer.accept(java.util.Optional.of(args.isEmpty() ? "null" : args.get(0).toString()));
            }

            @Override
            public void onTimeout() {
                answer.accept(java.util.Optional.empty());
            }
        }, argument);
    }

    @Override
    public void close(DisconnectReason reason) {
        if (!CLOSING.compareAndSet(this, false, true)) return;
        if (!reason.equals(DisconnectReason.CLIENT_CLOSED) && !reason.equals(DisconnectReason.SLOW_CONSUMER)) {
            socket.sendPackets(List.of(EnginePacket.message(SioCodec.eventPrefix(socket.namespace())
                    + "[\"error\",{\"code\":\"" + HttpReplies.jsonEscape(reason.errorCode()) + "\",\"message\":\""
                    + HttpReplies.jsonEscape(reason.message()) + "\"}]")));
        }
        // At shutdown the transport closes with no DISCONNECT: the official client never reconnects
        // after one ("io server disconnect"), but does, with its backoff, after "transport close", so
        // a node restarted for a deploy gets its clients back (or another node does), as npm
        // socket.io's own close() lets them.
        if (reason.equals(DisconnectReason.SLOW_CONSUMER) || reason.equals(DisconnectReason.SERVER_SHUTDOWN)) {
            socket.closeConnection(reason);
        } else {
            socket.disconnect(reason);
        }
    }

    @Override
    public boolean isOpen() {
        return !closing && socket.isConnected();
    }

    @Override
    public String toString() {
        return "SocketIoSession[" + socket.id() + " " + socket.namespace() + "]";
    }
}
