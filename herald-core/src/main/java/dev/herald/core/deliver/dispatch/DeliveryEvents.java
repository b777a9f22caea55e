package dev.herald.core.deliver.dispatch;

/**
 * Hears every status change of a delivery that the backend may care about: sent, delivered, read,
 * failed, dead (and skipped, expired). The dispatcher calls it after a final send result, the inbox
 * after a receipt. Implementations: {@link #none()} (no {@code DELIVERY_WEBHOOK_URL}),
 * MemoryDeliveryEvents (records, for tests), WebhookDeliveryEvents (herald-channels: signed POSTs
 * to the backend).
 *
 * <p>Guarantees asked of implementations: {@link #statusChanged} never blocks and never throws,
 * so it may be called on a Netty event loop or inside the dispatcher's hot path; delivery to the
 * backend is best effort (see the implementation for what it promises), and the caller's own
 * outcome never depends on it. Threading: thread-safe, called by many threads at once.
 */
public interface DeliveryEvents {
    void statusChanged(StatusEvent event);

    /** Hears nothing: the wiring when no one listens. */
    static DeliveryEvents none() {
        return event -> {};
    }
}
