package dev.herald.core.deliver.dispatch;

import dev.herald.core.notification.Channel;
import dev.herald.core.notification.Delivery;
import dev.herald.core.notification.DeliveryStatus;
import java.time.Instant;
import java.util.Objects;

/**
 * Receipts for the backend: a delivery's status changed (DESIGN §5: delivered, read, failed, dead).
 * The HTTP implementation in herald-channels posts signed callbacks to {@code DELIVERY_WEBHOOK_URL}.
 *
 * <p>Threading: called on dispatch and inbox threads; implementations must not block (queue the
 * work) and never throw.
 */
public interface DeliveryEvents {
    DeliveryEvents NONE = change -> { };

    void changed(StatusChange change);

    /**
     * One status change.
     *
     * @param deliveryId the outbox row, null for in-app receipts (the inbox row is the delivery)
     * @param reason the last error of a failed or dead delivery, null otherwise
     */
    record StatusChange(String deliveryId, String notificationId, String recipientId, Channel channel,
                        DeliveryStatus status, String reason, int attempt, Instant at) {
        public StatusChange {
            Objects.requireNonNull(notificationId, "notificationId");
            Objects.requireNonNull(recipientId, "recipientId");
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(at, "at");
        }

        public static StatusChange of(Delivery d, DeliveryStatus status, String reason, int attempt, Instant at) {
            return new StatusChange(d.id(), d.target().notificationId(), d.target().recipientId(), d.target().channel(),
                    status, reason, attempt, at);
        }

        public static StatusChange inApp(String notificationId, String recipientId, DeliveryStatus status, Instant at) {
            return new StatusChange(null, notificationId, recipientId, Channel.IN_APP, status, null, 0, at);
        }
    }
}
