package dev.herald.core.memory;

import dev.herald.core.notification.DeliveryAttempt;
import dev.herald.core.store.DeliveryLog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The in-memory delivery log: the reference behaviour of {@link DeliveryLog}. */
public final class MemoryDeliveryLog implements DeliveryLog {
    private final List<DeliveryAttempt> attempts = new ArrayList<>();

    @Override
    public synchronized void append(DeliveryAttempt attempt) {
        attempts.add(attempt);
    }

    @Override
    public synchronized List<DeliveryAttempt> ofNotification(String notificationId) {
        return attempts.stream().filter(a -> a.target().notificationId().equals(notificationId)).toList();
    }

    synchronized void eraseUser(String userId) {
        attempts.removeIf(a -> a.target().recipientId().equals(userId));
    }

    synchronized void purge(Instant before) {
        attempts.removeIf(a -> a.at().isBefore(before));
    }

    /** Every attempt, oldest first (tests). */
    public synchronized List<DeliveryAttempt> all() {
        return new ArrayList<>(attempts);
    }
}
