package dev.herald.core.route;

import java.util.concurrent.CompletionStage;

/**
 * Carries room messages between nodes. Implementations: MemoryBroker (one node), RedisBroker,
 * NatsBroker. A node subscribes to a room when its first local member joins and unsubscribes when
 * the last leaves, so a message reaches only nodes with members in the room.
 *
 * <p>Guarantees: a message published to a room reaches every node subscribed to it at publish
 * time, this node included, at most once; publications to one room from one node keep their
 * order; across rooms nothing is promised. Inbound messages go to the {@link BrokerListener} given
 * at start, on the broker's own thread: listeners must not block.
 *
 * <p>Subscriptions: {@link #subscribe} answers at once with a stage that completes once the broker
 * has confirmed the subscription (Redis: the SUBSCRIBE reply; NATS: the server answered a PING sent
 * after the SUB), so from then on every message published to the room, by any node, reaches this
 * one. A publication made before that may reach nobody. Callers that tell a client "you are in
 * the room" wait for the stage first (never on a network event loop).
 *
 * <p>Outages: the broker tells its listener when its link goes down and comes back
 * ({@link BrokerListener#linkDown}, {@link BrokerListener#linkUp}). While it is down, or whenever a
 * publication cannot be handed over, {@link #publish} fails with a
 * {@link dev.herald.core.HeraldException} coded {@code BROKER_UNAVAILABLE}: a publication that did not
 * reach the broker never completes normally.
 */
public interface Broker extends AutoCloseable {
    void start(BrokerListener listener);

    /**
     * Subscribes this node to a room; idempotent. Never blocks. The stage completes, on the
     * broker's thread, once the subscription is effective (for a repeated call: once the first one
     * is); while the link is down it waits for the link to come back. It fails when the broker
     * refused the subscription or could not confirm it; a refusal is permanent, while an
     * unconfirmed subscription is still restored with the link ({@link BrokerListener#linkUp}).
     */
    CompletionStage<Void> subscribe(String room);

    /** Unsubscribes this node from a room; idempotent. */
    void unsubscribe(String room);

    /**
     * Completes once the message is handed to the transport, not when it is delivered; fails with
     * {@code BROKER_UNAVAILABLE} when it was not.
     */
    CompletionStage<Void> publish(String room, RoomMessage message);

    @Override
    void close();
}
