package dev.herald.core.store;

import dev.herald.core.notification.Notification;
import java.util.List;

/**
 * The answer of {@link NotificationStore#saveAll}. On a replay ({@code replayed}) {@code ids} are
 * the ids the first request created, {@code notifications} those of them still in the store, and
 * {@code fingerprint} the first request's fingerprint; otherwise {@code notifications} are the rows
 * just written.
 */
public record Saved(List<String> ids, List<Notification> notifications, boolean replayed, String fingerprint) {
    public Saved {
        ids = List.copyOf(ids);
        notifications = List.copyOf(notifications);
    }
}
