package dev.herald.core.deliver.dispatch;

import dev.herald.core.notification.Channel;
import dev.herald.core.notification.DeliveryStatus;
import java.time.Instant;
import java.util.Objects;

/**
 * A delivery reached a final or receipt status: what the backend hears about through
 * {@code DELIVERY_WEBHOOK_URL} (DESIGN §5, receipts). Waiting states ({@code pending}, {@code held})
 * are never events: a retry is not news, its outcome is.
 *
 * @param deliveryId the outbox row, null for in-app receipts (an in-app notification has no outbox row)
 * @param reason why it failed, died, was skipped or expired (safe to log: never a body or a secret), else null
 * @param attempt the send attempt that decided it (1 for the first), null when no send was involved (a read)
 */
public record StatusEvent(String deliveryId, String notificationId, String recipientId, Channel channel,
                          DeliveryStatus status, String reason, Integer attempt, Instant at) {
    public StatusEvent {
        Objects.requireNonNull(notificationId, "notificationId");
        Objects.requireNonNull(recipientId, "recipientId");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(at, "at");
        if (status.waiting()) throw new IllegalArgumentException("a " + status.wire() + " delivery is not a status event");
        if (attempt != null && attempt < 1) throw new IllegalArgumentException("attempt starts at 1");
    }

    /** The event type on the wire, Standard Webhooks style: {@code delivery.delivered}, {@code delivery.dead}... */
    public String type() {
        return "delivery." + status.wire();
    }
}
