package dev.herald.core.deliver.live;

import dev.herald.core.deliver.live.ClientEvent;
import dev.herald.core.deliver.live.Session;

/**
 * Handles one client event type. Returns the ack's success payload (an object serialized to JSON,
 * to which {@code ok: true} is added when it is a JSON object), or throws a
 * {@link dev.herald.core.HeraldException} that becomes {@code {error:{code,message}}}.
 *
 * <p>The handler only answers through its return value or exception; it reads
 * {@link ClientEvent#wantsAck()} when its behaviour differs without an ack (a sync then sends events).
 *
 * <p>Threading: called on the session's virtual thread; may block.
 */
@FunctionalInterface
public interface EventHandler {
    Object handle(Session session, ClientEvent event);
}
