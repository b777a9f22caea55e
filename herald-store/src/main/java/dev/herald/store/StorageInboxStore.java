package dev.herald.store;

import dev.herald.core.inbox.InboxPage;
import dev.herald.core.inbox.InboxQuery;
import dev.herald.core.inbox.SyncCursor;
import dev.herald.core.inbox.SyncPage;
import dev.herald.core.notification.Notification;
import dev.herald.core.store.Idempotency;
import dev.herald.core.store.InboxStore;
import dev.herald.core.store.NotificationBatch;
import dev.herald.core.store.PurgeResult;
import dev.herald.core.store.Saved;
import dev.herald.core.store.Storage;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The three inbox ports of a {@link Storage} as one {@link InboxStore}; closing it closes the storage. */
public final class StorageInboxStore implements InboxStore {
    private final Storage storage;

    public StorageInboxStore(Storage storage) {
        this.storage = storage;
    }

    /** Every port of the backend behind this view. */
    public Storage storage() {
        return storage;
    }

    @Override
    public Saved save(NotificationBatch batch, Idempotency idempotency, Instant now) {
        return storage.notifications().save(batch, idempotency, now);
    }

    @Override
    public List<Notification> releaseDue(Instant now, int limit) {
        return storage.notifications().releaseDue(now, limit);
    }

    @Override
    public Optional<Notification> markDelivered(String recipientId, String id, Instant at) {
        return storage.notifications().markDelivered(recipientId, id, at);
    }

    @Override
    public Optional<Notification> markRead(String recipientId, String id, Instant at) {
        return storage.notifications().markRead(recipientId, id, at);
    }

    @Override
    public List<String> markAllRead(String recipientId, Instant at) {
        return storage.notifications().markAllRead(recipientId, at);
    }

    @Override
    public boolean delete(String recipientId, String id) {
        return storage.notifications().delete(recipientId, id);
    }

    @Override
    public int eraseUser(String userId) {
        return storage.notifications().eraseUser(userId);
    }

    @Override
    public InboxPage page(InboxQuery query) {
        return storage.inbox().page(query);
    }

    @Override
    public Optional<Notification> find(String recipientId, String id, Instant now) {
        return storage.inbox().find(recipientId, id, now);
    }

    @Override
    public List<Notification> allOf(String recipientId) {
        return storage.inbox().allOf(recipientId);
    }

    @Override
    public SyncPage after(String recipientId, SyncCursor cursor, int limit, Instant now) {
        return storage.inbox().after(recipientId, cursor, limit, now);
    }

    @Override
    public Optional<Instant> nextScheduledAt(Instant now) {
        return storage.inbox().nextScheduledAt(now);
    }

    @Override
    public PurgeResult purge(Instant now, Instant createdBefore) {
        return storage.maintenance().purge(now, createdBefore);
    }

    @Override
    public void close() {
        storage.close();
    }
}
