package dev.herald.core.route;

import java.time.Instant;

/**
 * Receives room messages for the rooms this node subscribed to, and the state of the link to the
 * broker. Every method runs on the broker's own thread and must not block.
 *
 * <p>Link reports alternate strictly: the link is up after {@link Broker#start}, then
 * {@link #linkDown} and {@link #linkUp} follow each other, each called once per change.
 */
public interface BrokerListener {
    void onMessage(String room, RoomMessage message);

    /**
     * The broker can no longer carry this node's messages: from now until {@link #linkUp},
     * {@link Broker#publish} fails with {@code BROKER_UNAVAILABLE}, and messages for this node's
     * rooms may be lost.
     *
     * @param since the earliest moment a publication this node was told had succeeded, or a message
     *     meant for it, may have been lost (the broker's detection time minus how long it can take
     *     to notice)
     */
    default void linkDown(Instant since) {}

    /** The broker carries messages again, with this node's subscriptions restored. */
    default void linkUp() {}
}
