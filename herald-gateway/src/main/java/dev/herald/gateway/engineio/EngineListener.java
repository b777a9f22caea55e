package dev.herald.gateway.engineio;

/**
 * What sits on top of Engine.IO (Socket.IO, or the conformance echo). Called on the session's event
 * loop: implementations must not block.
 */
public interface EngineListener {
    /** A new session finished its handshake; set its handler with {@link EngineSocket#handler}. */
    void onOpen(EngineSocket socket);
}
