package dev.herald.core.store;

import dev.herald.core.notification.Delivery;
import dev.herald.core.notification.Priority;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The outbox: deliveries waiting for the dispatcher. Rows are written by
 * {@link NotificationStore#save}, in the notification's transaction, so an accepted notification
 * always has its deliveries. Claims return rows oldest due first (by due time, then id). Implementations: MemoryOutboxStore (reference), the SQLite and
 * PostgreSQL stores (PostgreSQL claims with {@code FOR UPDATE SKIP LOCKED}, so any number of nodes
 * share the table with no leader).
 *
 * <p>Guarantees: a claim is a lease. A claimed row is invisible to other claims until its lease
 * lapses, and then claimable again (the node that held it died): so a row is sent at least once,
 * and twice only when a lease lapsed mid-send. Settling a row ({@link #settle}) clears the lease;
 * settling a row whose lease lapsed and was claimed again is refused, so a slow node cannot
 * overwrite the new claimer's outcome nor log an attempt under it. A claimer may claim ahead (more
 * rows than it sends at once) and hand unsent rows back with a settle that keeps their state.
 * Threading: thread-safe and blocking.
 */
public interface OutboxStore {
    /**
     * Claims up to {@code limit} waiting rows of {@code priority} due at {@code now} (pending or held,
     * unclaimed or with a lapsed lease), oldest due first, leased until {@code now + lease}. A
     * claimed row that waits for a digest comes with every other due row of the same recipient,
     * channel and digest key, even past {@code limit}, so a digest goes out whole: the first claim to
     * reach any row of a digest takes all of it, whatever the priority of the other rows, and
     * concurrent claimers never split one. One call is one round trip (on PostgreSQL one
     * transaction), however many rows it claims.
     */
    List<Delivery> claimDue(Priority priority, Instant now, int limit, Duration lease);

    /**
     * Records the outcomes of claimed rows, each with its delivery-log rows, in one transaction: a
     * settlement's new state replaces its row's (lease cleared) and its rows ({@link Settlement#rows}:
     * its parts', then its attempt's) are appended to the {@link DeliveryLog}, or none of it is
     * written. A settlement is refused, changing nothing and
     * logging nothing, when its row's lease is no longer the one it was claimed with (lapsed and
     * claimed again, or settled already); the others of the call are written all the same. A store
     * may share the transaction with settles of other threads that arrive at the same time (group
     * commit); the call returns once its own settlements are durable.
     *
     * @return the ids of the refused settlements, empty when every one was written
     */
    Set<String> settle(List<Settlement> settlements);

    /**
     * Puts a final row back in the queue, due at {@code now} with no attempts made: for dead letters
     * and failures an operator fixed. Returns the row after the change; empty when there is no such
     * row or it is not {@code DEAD} or {@code FAILED}.
     */
    Optional<Delivery> replay(String deliveryId, Instant now);

    /** Cancels the waiting rows of a notification of {@code kind} (an escalation made moot by a read); returns how many. */
    int cancel(String notificationId, Delivery.Kind kind, String reason, Instant now);

    /** One delivery, or all of a notification's (oldest first), or a filtered page of them. */
    List<Delivery> find(DeliveryQuery query);

    /** Queue depth and age per priority, and row counts by channel and status, at {@code now}. */
    OutboxStats stats(Instant now);
}
