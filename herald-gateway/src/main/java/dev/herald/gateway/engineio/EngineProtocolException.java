package dev.herald.gateway.engineio;

/** A malformed Engine.IO packet or payload; the session that sent it is closed. */
public final class EngineProtocolException extends RuntimeException {
    public EngineProtocolException(String message) {
        super(message, null, false, false);
    }
}
