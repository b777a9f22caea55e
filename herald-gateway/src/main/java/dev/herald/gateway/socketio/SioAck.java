package dev.herald.gateway.socketio;

/** Answers one client event; only the first call sends anything. Safe from any thread. */
public interface SioAck {
    /** Sends the arguments (byte[] anywhere become attachments). */
    void send(Object... args);

    /** Sends one argument that is already JSON text. */
    void sendJson(String json);
}
