package dev.herald.core.ingest;

import java.time.Duration;

/**
 * Hears every real-time send for metrics: the event type, how many connections it was sent to
 * (0 when the sender does not know, as for the inbox's live push) and how long it took to hand to
 * the broker. Must be fast and must not throw.
 */
@FunctionalInterface
public interface DeliveryObserver {
    DeliveryObserver NONE = (eventType, connections, took) -> {};

    void sent(String eventType, int connections, Duration took);

    /** A send that could not be handed on ({@code reason} is a short code such as {@code broker_unavailable}). */
    default void failed(String eventType, String reason) {}
}
