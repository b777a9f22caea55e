package dev.herald.gateway.socketio;

import dev.herald.gateway.GatewayConfig;
import dev.herald.gateway.engineio.EngineListener;
import dev.herald.gateway.engineio.EngineSocket;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Socket.IO v5 on top of Engine.IO: a registry of namespaces, each with its {@link ConnectHandler}.
 * A CONNECT to a namespace that is not registered is answered "Invalid namespace".
 */
public final class SocketIoServer implements EngineListener {
    private final GatewayConfig config;
    private final Map<String, ConnectHandler> namespaces = new ConcurrentHashMap<>();

    public SocketIoServer(GatewayConfig config) {
        this.config = config;
    }

    /** Registers (or replaces) the handler of a namespace such as "/" or "/admin". */
    public SocketIoServer namespace(String name, ConnectHandler handler) {
        namespaces.put(name, handler);
        return this;
    }

    GatewayConfig config() {
        return config;
    }

    /** The registered namespaces. */
    Set<String> namespaces() {
        return namespaces.keySet();
    }

    ConnectHandler handler(String nsp) {
        return namespaces.get(nsp);
    }

    @Override
    public void onOpen(EngineSocket socket) {
        socket.handler(new SioConnection(socket, this));
    }
}
