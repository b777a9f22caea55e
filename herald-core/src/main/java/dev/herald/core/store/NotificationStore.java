package dev.herald.core.store;

import dev.herald.core.notification.Notification;
import dev.herald.core.store.Idempotency;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Writes to the inbox. Implementations: MemoryNotificationStore (reference), SqliteNotificationStore,
 * PostgresNotificationStore (herald-store).
 *
 * <p>Guarantees: every method is atomic (one transaction) and durable when it returns. Methods that
 * take a {@code recipientId} act only on that user's rows: another user's id behaves exactly like an
 * unknown id. State only moves forward: a read notification stays read, and a second mark keeps
 * the first time.
 *
 * <p>Threading: thread-safe and blocking (JDBC): call from virtual threads, never from a network
 * event loop.
 */
public interface NotificationStore {
    /**
     * Writes the batch — inbox rows and outbox rows — all or none. With an idempotency key (may be
     * null) the key is claimed in the same transaction: if a live key (not past its
     * {@code expiresAt} at {@code now}) already exists, nothing is written and the first request's
     * answer is returned with {@code replayed} set. Concurrent saves with one key write once.
     */
    Saved save(NotificationBatch batch, Idempotency idempotency, Instant now);

    /** Inbox rows only; see {@link #save}. */
    default Saved saveAll(List<Notification> notifications, Idempotency idempotency, Instant now) {
        return save(NotificationBatch.inboxOnly(notifications), idempotency, now);
    }

    /**
     * Claims scheduled notifications that are due at {@code now} and not expired, oldest first, at
     * most {@code limit}: they become {@code PENDING} and are returned. Each row is claimed once,
     * even with several nodes claiming at the same time, so exactly one node announces it.
     */
    List<Notification> releaseDue(Instant now, int limit);

    /**
     * Records that a client received the notification (its ack): {@code PENDING} becomes
     * {@code DELIVERED}, the first delivery time is kept. Returns the notification after the change,
     * or empty when the user has no such notification visible at {@code at}.
     */
    Optional<Notification> markDelivered(String recipientId, String id, Instant at);

    /**
     * Marks one notification read, keeping the first read time; returns it after the change, or
     * empty when the user has no such notification visible at {@code at}.
     */
    Optional<Notification> markRead(String recipientId, String id, Instant at);

    /** Marks every visible unread notification of the user read; returns the ids it changed. */
    List<String> markAllRead(String recipientId, Instant at);

    /** Deletes one notification of the user, due or not; false when there was none such. */
    boolean delete(String recipientId, String id);

    /**
     * Erases everything stored about a user (notifications, their outbox and delivery log rows,
     * preferences, contact, devices); returns how many notifications went.
     */
    int eraseUser(String userId);
}
