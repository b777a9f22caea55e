package dev.herald.broker;

/**
 * Where ingested real-time messages go: the composition root wires it to
 * {@code hub.emit("user:" + userId, event, json)}, so the event reaches every socket of the user on
 * every node.
 *
 * <p>Threading: called on the ingest transport's I/O thread; implementations must not block.
 */
@FunctionalInterface
public interface UserEventSink {
    /** Emits {@code event} with the JSON argument {@code json} to every connection of {@code userId}. */
    void emitToUser(String userId, String event, String json);
}
