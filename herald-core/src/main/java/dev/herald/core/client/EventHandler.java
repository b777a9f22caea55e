package dev.herald.core.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.session.Session;

/**
 * Handles one client event type. Returns the ack's success payload (an object serialized to JSON,
 * to which {@code ok: true} is added when it is a JSON object), or throws a
 * {@link dev.herald.core.HeraldException} that becomes {@code {error:{code,message}}}.
 *
 * <p>Threading: called on the session's virtual thread; may block.
 */
@FunctionalInterface
public interface EventHandler {
    Object handle(Session session, JsonNode data);
}
