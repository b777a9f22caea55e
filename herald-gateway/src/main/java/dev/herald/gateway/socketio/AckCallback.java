package dev.herald.gateway.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** The answer to a server-initiated emit that asked for an ack; called on the event loop. */
public interface AckCallback {
    void onAck(List<JsonNode> args);

    /** No answer came within the timeout, or the socket disconnected first. */
    void onTimeout();
}
