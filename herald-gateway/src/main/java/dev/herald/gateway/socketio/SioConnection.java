package dev.herald.gateway.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.ErrorCode;
import dev.herald.core.deliver.live.DisconnectReason;
import dev.herald.gateway.engineio.EnginePacket;
import dev.herald.gateway.engineio.EngineSocket;
import dev.herald.gateway.engineio.EngineSocketHandler;
import dev.herald.gateway.http.HttpReplies;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Socket.IO side of one Engine.IO session: its namespace sockets, the binary packet being
 * reassembled and the connect timeout. Everything here runs on the session's event loop.
 */
final class SioConnection implements EngineSocketHandler {
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureRandom::new);

    private final EngineSocket engine;
    private final SocketIoServer server;
    /**
     * The namespace sockets, an immutable map replaced on change: nearly every connection joins one
     * namespace once, and a HashMap of it costs ~110 bytes on every idle connection (bench/RESULTS.md).
     */
    private Map<String, SioSocket> sockets = Map.of();
    private SioPacket partial;
    private List<byte[]> partialAttachments;
    private ScheduledFuture<?> connectTimer;
    private DisconnectReason closedWith;

    SioConnection(EngineSocket engine, SocketIoServer server) {
        this.engine = engine;
        this.server = server;
        long timeout = server.config().protocol().connectTimeout().toMillis();
        connectTimer = engine.eventLoop().schedule(() -> {
            if (sockets.isEmpty()) engine.close(DisconnectReason.PROTOCOL_ERROR);
        }, timeout, TimeUnit.MILLISECONDS);
    }

    EngineSocket engine() {
        return engine;
    }

    @Override
    public void onMessage(EngineSocket socket, String text) {
        if (partial != null) {
            protocolError();
            return;
        }
        SioPacket packet;
        try {
            packet = SioCodec.decode(text);
        } catch (SioProtocolException e) {
            protocolError();
            return;
        }
        if (packet.attachments() > 0) {
            partial = packet;
            partialAttachments = new ArrayList<>(packet.attachments());
            return;
        }
        dispatch(packet);
    }

    @Override
    public void onBinary(EngineSocket socket, byte[] data) {
        if (partial == null) {
            protocolError();
            return;
        }
        partialAttachments.add(data);
        if (partialAttachments.size() < partial.attachments()) return;
        SioPacket p = partial;
        List<byte[]> attachments = partialAttachments;
        partial = null;
        partialAttachments = null;
        try {
            JsonNode data2 = SioCodec.reconstruct(p.data(), attachments);
            dispatch(new SioPacket(p.type(), p.nsp(), p.ackId(), data2, 0));
        } catch (SioProtocolException e) {
            protocolError();
        }
    }

    private void dispatch(SioPacket p) {
        switch (p.type()) {
            case CONNECT -> onConnect(p);
            case DISCONNECT -> {
                SioSocket s = sockets.get(p.nsp());
                if (s != null && removeSocket(s)) s.closed(DisconnectReason.CLIENT_CLOSED);
            }
            case EVENT, BINARY_EVENT -> {
                SioSocket s = sockets.get(p.nsp());
                if (s == null) return; // not connected to that namespace: ignored, as the reference does
                List<JsonNode> args = new ArrayList<>(p.data().size() - 1);
                for (int k = 1; k < p.data().size(); k++) args.add(p.data().get(k));
                s.onEvent(p.data().get(0).asText(), args, p.ackId());
            }
            case ACK, BINARY_ACK -> {
                SioSocket s = sockets.get(p.nsp());
                if (s == null) return;
                List<JsonNode> args = new ArrayList<>(p.data().size());
                p.data().forEach(args::add);
                s.onAck(p.ackId(), args);
            }
            case CONNECT_ERROR -> protocolError();
        }
    }

    private void onConnect(SioPacket p) {
        ConnectHandler handler = server.handler(p.nsp());
        if (handler == null) {
            ObjectNode body = SioCodec.MAPPER.createObjectNode().put("message", "Invalid namespace");
            engine.send(SioCodec.encode(SioPacket.Type.CONNECT_ERROR, p.nsp(), -1, body));
            return;
        }
        if (sockets.containsKey(p.nsp())) return; // already connected there
        JsonNode auth = p.data() == null ? SioCodec.MAPPER.createObjectNode() : p.data();
        SioSocket socket = new SioSocket(newSocketId(), p.nsp(), this);
        try {
            handler.onConnect(new ConnectRequest(this, socket, auth));
        } catch (RuntimeException e) {
            // A failing handler refuses this connect; the connection and its other namespaces live on.
            reject(socket, SioCodec.MAPPER.createObjectNode().put("message", "Internal error"));
        }
    }

    void accept(SioSocket socket) {
        if (closedWith != null || !engine.isOpen()) {
            socket.closed(closedWith == null ? DisconnectReason.CLIENT_CLOSED : closedWith);
            return;
        }
        if (sockets.containsKey(socket.namespace())) {
            socket.closed(DisconnectReason.PROTOCOL_ERROR);
            return;
        }
        if (sockets.isEmpty()) {
            sockets = Map.of(socket.namespace(), socket);
        } else {
            Map<String, SioSocket> more = new HashMap<>(sockets);
            more.put(socket.namespace(), socket);
            sockets = Map.copyOf(more);
        }
        if (connectTimer != null) {
            connectTimer.cancel(false);
            connectTimer = null;
        }
        socket.markConnected();
        socket.sendConnectReply();
    }

    void reject(SioSocket socket, ObjectNode body) {
        if (closedWith != null) return;
        engine.send(SioCodec.encode(SioPacket.Type.CONNECT_ERROR, socket.namespace(), -1, body));
    }

    boolean removeSocket(SioSocket socket) {
        if (sockets.get(socket.namespace()) != socket) return false;
        Map<String, SioSocket> fewer = new HashMap<>(sockets);
        fewer.remove(socket.namespace());
        sockets = Map.copyOf(fewer);
        return true;
    }

    private void protocolError() {
        engine.close(DisconnectReason.PROTOCOL_ERROR);
    }

    /**
     * A message over maxPayload before a namespace was joined is the CONNECT packet, and what makes
     * it that big is its auth payload: the client is told with a CONNECT_ERROR in the shape of any
     * refused token, so the official client emits {@code connect_error} with a code instead of
     * seeing the transport drop. It goes to every namespace not yet joined (the client ignores the
     * ones it did not ask for); joined ones just see the connection close.
     */
    @Override
    public void onOversized(EngineSocket socket) {
        if (closedWith != null) return;
        ObjectNode body = SioCodec.MAPPER.createObjectNode().put("message", "the CONNECT packet is over maxPayload ("
                + server.config().limits().maxPayloadBytes() + " bytes); a token must be far smaller");
        body.putObject("data").put("code", ErrorCode.INVALID_TOKEN.name());
        for (String nsp : new TreeSet<>(server.namespaces())) { // "/" first, the one nearly every client asks for
            if (!sockets.containsKey(nsp)) engine.send(SioCodec.encode(SioPacket.Type.CONNECT_ERROR, nsp, -1, body));
        }
    }

    @Override
    public void onUpgrade(EngineSocket socket) {
        for (SioSocket s : sockets.values()) s.upgraded();
    }

    /** Each namespace's error event with the reason, then its DISCONNECT, as for any server-side close. */
    @Override
    public List<EnginePacket> farewell(DisconnectReason reason) {
        List<EnginePacket> out = new ArrayList<>();
        for (SioSocket s : sockets.values()) {
            out.add(EnginePacket.message(SioCodec.eventPrefix(s.namespace()) + "[\"error\",{\"code\":\""
                    + HttpReplies.jsonEscape(reason.errorCode()) + "\",\"message\":\"" + HttpReplies.jsonEscape(reason.message()) + "\"}]"));
            out.addAll(SioCodec.encode(SioPacket.Type.DISCONNECT, s.namespace(), -1, null));
        }
        return out;
    }

    @Override
    public void onClose(EngineSocket socket, DisconnectReason reason) {
        closedWith = reason;
        if (connectTimer != null) connectTimer.cancel(false);
        Map<String, SioSocket> all = sockets;
        sockets = Map.of();
        for (SioSocket s : all.values()) s.closed(reason);
    }

    private static String newSocketId() {
        byte[] b = new byte[15];
        RANDOM.get().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
