package dev.herald.core.store;

import dev.herald.core.notification.DeliveryAttempt;
import java.util.List;

/**
 * Every send attempt, kept for the delivery history of a notification (and erased with the user).
 * Implementations: MemoryDeliveryLog (reference), the SQLite and PostgreSQL stores.
 *
 * <p>Guarantees: an append is durable when it returns; attempts are listed in the order appended.
 * Threading: thread-safe and blocking.
 */
public interface DeliveryLog {
    void append(DeliveryAttempt attempt);

    /** The attempts of one notification, across its recipients and channels, oldest first. */
    List<DeliveryAttempt> ofNotification(String notificationId);
}
