package dev.herald.broker;

/**
 * Where ingested real-time messages go. Sources that every node receives (Redis {@code user_noti:*},
 * which each node pattern-subscribes) must be wired to this node's sockets only:
 * {@code hub.emitLocal("user:" + userId, new OutboundEvent(event, json), Set.of())}. A source that
 * only one node receives (a shared queue consumer) would use {@code hub.emit(...)} instead, which
 * crosses the broker to every node.
 *
 * <p>Threading: called on the ingest transport's I/O thread; implementations must not block.
 */
@FunctionalInterface
public interface UserEventSink {
    /** Emits {@code event} with the JSON argument {@code json} to every connection of {@code userId}. */
    void emitToUser(String userId, String event, String json);
}
