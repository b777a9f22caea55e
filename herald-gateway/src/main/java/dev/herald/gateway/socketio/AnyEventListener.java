package dev.herald.gateway.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Receives every event that has no specific listener; same threading as {@link EventListener}. */
@FunctionalInterface
public interface AnyEventListener {
    void onEvent(String event, List<JsonNode> args, SioAck ack);
}
