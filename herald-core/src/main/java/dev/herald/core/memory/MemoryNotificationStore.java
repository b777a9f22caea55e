package dev.herald.core.memory;

import dev.herald.core.inbox.InboxPage;
import dev.herald.core.inbox.InboxQuery;
import dev.herald.core.inbox.SyncCursor;
import dev.herald.core.inbox.SyncPage;
import dev.herald.core.notification.Notification;
import dev.herald.core.notification.NotificationStatus;
import dev.herald.core.store.Idempotency;
import dev.herald.core.store.InboxStore;
import dev.herald.core.store.NotificationBatch;
import dev.herald.core.store.PurgeResult;
import dev.herald.core.store.Saved;
import dev.herald.core.store.Storage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The in-memory inbox: the reference behaviour for the SQLite and PostgreSQL stores, and a store
 * for tests. Nothing survives the process. One lock makes every method trivially atomic; the
 * outbox, delivery log, preferences and contacts it erases with a user are its companions
 * ({@link #storage()} hands out all of them).
 */
public final class MemoryNotificationStore implements InboxStore {
    /** A place in the inbox order. */
    private record Position(Instant time, String id) implements Comparable<Position> {
        private static final Comparator<Position> ORDER =
                Comparator.comparing(Position::time).thenComparing(Position::id);

        static Position of(Notification n) {
            return new Position(n.createdAt(), n.id());
        }

        @Override
        public int compareTo(Position o) {
            return ORDER.compare(this, o);
        }
    }

    private record Key(List<String> ids, String fingerprint, Instant expiresAt) {}

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Notification> byId = new HashMap<>();
    private final Map<String, NavigableMap<Position, Notification>> byRecipient = new HashMap<>();
    private final Map<String, Key> keys = new HashMap<>();
    private final MemoryDeliveryLog deliveryLog = new MemoryDeliveryLog();
    private final MemoryOutboxStore outbox = new MemoryOutboxStore(deliveryLog);
    private final MemoryPreferenceStore preferences = new MemoryPreferenceStore();
    private final MemoryContactStore contacts = new MemoryContactStore();
    private final MemoryTemplateStore templates = new MemoryTemplateStore();
    private final MemoryRateCounter rates = new MemoryRateCounter();

    /** Every port of this in-memory backend, sharing its data. */
    public Storage storage() {
        return new Storage(this, this, this, outbox, deliveryLog, preferences, contacts, templates, rates, this);
    }

    public MemoryOutboxStore outbox() {
        return outbox;
    }

    public MemoryDeliveryLog deliveryLog() {
        return deliveryLog;
    }

    private <T> T locked(Supplier<T> work) {
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    private void put(Notification n) {
        Notification old = byId.put(n.id(), n);
        NavigableMap<Position, Notification> inbox = byRecipient.computeIfAbsent(n.recipientId(), r -> new TreeMap<>());
        if (old != null) inbox.remove(Position.of(old));
        inbox.put(Position.of(n), n);
    }

    private void remove(Notification n) {
        byId.remove(n.id());
        NavigableMap<Position, Notification> inbox = byRecipient.get(n.recipientId());
        if (inbox == null) return;
        inbox.remove(Position.of(n));
        if (inbox.isEmpty()) byRecipient.remove(n.recipientId());
    }

    private Optional<Notification> owned(String recipientId, String id) {
        Notification n = byId.get(id);
        return n != null && n.recipientId().equals(recipientId) ? Optional.of(n) : Optional.empty();
    }

    @Override
    public Saved save(NotificationBatch batch, Idempotency idempotency, Instant now) {
        return locked(() -> {
            if (idempotency != null) {
                Key existing = keys.get(idempotency.key());
                if (existing != null && existing.expiresAt().isAfter(now)) {
                    List<Notification> still = existing.ids().stream().map(byId::get).filter(Objects::nonNull).toList();
                    return new Saved(existing.ids(), still, true, existing.fingerprint());
                }
            }
            for (Notification n : batch.inbox()) {
                if (byId.containsKey(n.id())) throw new IllegalStateException("duplicate notification id " + n.id());
            }
            outbox.insert(batch.deliveries());
            batch.inbox().forEach(this::put);
            if (idempotency != null) {
                keys.put(idempotency.key(), new Key(batch.ids(), idempotency.fingerprint(), idempotency.expiresAt()));
            }
            return new Saved(batch.ids(), batch.inbox(), false, idempotency == null ? null : idempotency.fingerprint());
        });
    }

    @Override
    public List<Notification> releaseDue(Instant now, int limit) {
        return locked(() -> {
            List<Notification> due = byId.values().stream()
                    .filter(n -> n.status() == NotificationStatus.SCHEDULED && n.isVisibleAt(now))
                    .sorted(Comparator.comparing(Position::of))
                    .limit(limit)
                    .map(n -> n.withStatus(NotificationStatus.PENDING))
                    .toList();
            due.forEach(this::put);
            return due;
        });
    }

    @Override
    public Optional<Notification> markDelivered(String recipientId, String id, Instant at) {
        return change(recipientId, id, at, n -> n.delivered(at));
    }

    @Override
    public Optional<Notification> markRead(String recipientId, String id, Instant at) {
        return change(recipientId, id, at, n -> n.read(at));
    }

    /** Replaces the user's visible notification with its changed self; empty if there is none. */
    private Optional<Notification> change(String recipientId, String id, Instant at, UnaryOperator<Notification> how) {
        return locked(() -> owned(recipientId, id).filter(n -> n.isVisibleAt(at)).map(n -> {
            Notification next = how.apply(n);
            put(next);
            return next;
        }));
    }

    @Override
    public List<String> markAllRead(String recipientId, Instant at) {
        return locked(() -> {
            NavigableMap<Position, Notification> inbox = byRecipient.get(recipientId);
            if (inbox == null) return List.of();
            List<Notification> unread = inbox.values().stream().filter(n -> !n.isRead() && n.isVisibleAt(at)).toList();
            unread.forEach(n -> put(n.read(at)));
            return unread.stream().map(Notification::id).toList();
        });
    }

    @Override
    public boolean delete(String recipientId, String id) {
        return locked(() -> owned(recipientId, id).map(n -> {
            remove(n);
            return true;
        }).orElse(false));
    }

    @Override
    public int eraseUser(String userId) {
        return locked(() -> {
            outbox.eraseUser(userId);
            deliveryLog.eraseUser(userId);
            preferences.eraseUser(userId);
            contacts.eraseUser(userId);
            rates.erase(userId);
            NavigableMap<Position, Notification> inbox = byRecipient.get(userId);
            if (inbox == null) return 0;
            List<Notification> all = new ArrayList<>(inbox.values());
            all.forEach(this::remove);
            return all.size();
        });
    }

    @Override
    public InboxPage page(InboxQuery q) {
        return locked(() -> {
            NavigableMap<Position, Notification> inbox = byRecipient.getOrDefault(q.recipientId(), new TreeMap<>());
            List<Notification> matching = inbox.descendingMap().values().stream()
                    .filter(n -> n.isVisibleAt(q.now()))
                    .filter(n -> !q.unreadOnly() || !n.isRead())
                    .filter(n -> q.channel() == null || q.channel().equals(n.channel()))
                    .filter(n -> q.type() == null || q.type().equals(n.type()))
                    .toList();
            long unread = inbox.values().stream().filter(n -> n.isVisibleAt(q.now()) && !n.isRead()).count();
            List<Notification> items = matching.stream().skip(q.offset()).limit(q.limit()).toList();
            return new InboxPage(items, matching.size(), unread, q.page(), q.limit());
        });
    }

    @Override
    public List<Notification> allOf(String recipientId) {
        return locked(() -> List.copyOf(byRecipient.getOrDefault(recipientId, new TreeMap<>()).values()));
    }

    @Override
    public Optional<Notification> find(String recipientId, String id, Instant now) {
        return locked(() -> owned(recipientId, id).filter(n -> n.isVisibleAt(now)));
    }

    @Override
    public SyncPage after(String recipientId, SyncCursor cursor, int limit, Instant now) {
        checkSyncLimit(limit);
        return locked(() -> {
            NavigableMap<Position, Notification> inbox = byRecipient.getOrDefault(recipientId, new TreeMap<>());
            List<Notification> next = inbox.tailMap(new Position(cursor.time(), cursor.id()), false).values().stream()
                    .filter(n -> n.isVisibleAt(now))
                    .limit(limit + 1L)
                    .toList();
            boolean more = next.size() > limit;
            return new SyncPage(more ? next.subList(0, limit) : next, more);
        });
    }

    /** The sync limit every store enforces. */
    public static void checkSyncLimit(int limit) {
        if (limit < 1 || limit > 1000) throw new IllegalArgumentException("limit must be 1..1000, was " + limit);
    }

    @Override
    public Optional<Instant> nextScheduledAt(Instant now) {
        return locked(() -> byId.values().stream()
                .filter(n -> n.status() == NotificationStatus.SCHEDULED && !n.isExpiredAt(now))
                .map(Notification::createdAt)
                .min(Comparator.naturalOrder()));
    }

    @Override
    public PurgeResult purge(Instant now, Instant createdBefore) {
        return locked(() -> {
            List<Notification> expired = byId.values().stream().filter(n -> n.isExpiredAt(now)).toList();
            expired.forEach(this::remove);
            List<Notification> old = byId.values().stream().filter(n -> n.createdAt().isBefore(createdBefore)).toList();
            old.forEach(this::remove);
            int deadKeys = 0;
            for (var it = keys.values().iterator(); it.hasNext(); ) {
                if (!it.next().expiresAt().isAfter(now)) {
                    it.remove();
                    deadKeys++;
                }
            }
            outbox.purge(createdBefore);
            deliveryLog.purge(createdBefore);
            return new PurgeResult(expired.size(), old.size(), deadKeys);
        });
    }

    @Override
    public void close() {}
}
