package dev.herald.core.notification;

import dev.herald.core.store.Idempotency;
import java.util.List;

/**
 * What {@link dev.herald.core.ingest.NotificationIntake#create} did: the ids (one per recipient, in request order) and
 * the notifications. {@code replayed} when an earlier request with the same Idempotency-Key already
 * created them; nothing new was written or sent then.
 */
public record Created(List<String> ids, List<Notification> notifications, boolean replayed) {
    public Created {
        ids = List.copyOf(ids);
        notifications = List.copyOf(notifications);
    }
}
