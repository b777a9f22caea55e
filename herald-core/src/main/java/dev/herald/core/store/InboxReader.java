package dev.herald.core.store;

import dev.herald.core.inbox.InboxPage;
import dev.herald.core.inbox.InboxQuery;
import dev.herald.core.inbox.SyncCursor;
import dev.herald.core.inbox.SyncPage;
import dev.herald.core.notification.Notification;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Reads a user's inbox. Only visible notifications are returned: due (inbox time at or before
 * {@code now}) and not expired at {@code now}. Order is the inbox order {@code (createdAt, id)}.
 *
 * <p>Threading: thread-safe and blocking (JDBC): call from virtual threads. Reads see every write
 * that returned before they started.
 */
public interface InboxReader {
    /** A page of the inbox, newest first, with totals. */
    InboxPage page(InboxQuery query);

    /** The user's notification with this id; empty for unknown, another user's, not yet due or expired. */
    Optional<Notification> find(String recipientId, String id, Instant now);

    /**
     * Every stored notification of the user, whatever its state (scheduled, expired and not yet
     * purged, read), oldest first: the GDPR export. Unbounded (retention bounds it).
     */
    List<Notification> allOf(String recipientId);

    /** What came after the cursor, oldest first, at most {@code limit} (1..1000). */
    SyncPage after(String recipientId, SyncCursor cursor, int limit, Instant now);

    /**
     * When the earliest notification still waiting for {@link NotificationStore#releaseDue} is due
     * (possibly in the past, e.g. after a restart); ignores those expired at {@code now}. Empty when
     * none waits.
     */
    Optional<Instant> nextScheduledAt(Instant now);
}
