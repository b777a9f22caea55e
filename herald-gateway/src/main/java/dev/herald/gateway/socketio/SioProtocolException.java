package dev.herald.gateway.socketio;

/** A malformed Socket.IO packet; the connection that sent it is closed. */
public final class SioProtocolException extends RuntimeException {
    public SioProtocolException(String message) {
        super(message, null, false, false);
    }
}
