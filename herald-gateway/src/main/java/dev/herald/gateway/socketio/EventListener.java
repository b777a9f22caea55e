package dev.herald.gateway.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Receives one event's arguments (binary ones as {@code BinaryNode}); {@code ack} is null when the
 * client did not ask for one. Called on the connection's event loop: hand blocking work off.
 */
@FunctionalInterface
public interface EventListener {
    void onEvent(List<JsonNode> args, SioAck ack);
}
