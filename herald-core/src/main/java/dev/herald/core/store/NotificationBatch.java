package dev.herald.core.store;

import dev.herald.core.notification.Delivery;
import dev.herald.core.notification.Notification;
import java.util.List;

/**
 * What one create writes in one transaction: the inbox rows of the recipients who get it in the
 * app, and one outbox row per recipient and out-of-app channel (skipped ones included, already
 * final with their reason, so the delivery list of a notification tells why nothing was sent).
 *
 * @param ids one notification id per recipient, in request order, whether or not it has an inbox
 *     row; an idempotent replay answers these
 */
public record NotificationBatch(List<String> ids, List<Notification> inbox, List<Delivery> deliveries) {
    public NotificationBatch {
        ids = List.copyOf(ids);
        inbox = List.copyOf(inbox);
        deliveries = List.copyOf(deliveries);
    }

    /** Inbox rows only, one per id: the shape of a create with no out-of-app channel. */
    public static NotificationBatch inboxOnly(List<Notification> rows) {
        return new NotificationBatch(rows.stream().map(Notification::id).toList(), rows, List.of());
    }
}
