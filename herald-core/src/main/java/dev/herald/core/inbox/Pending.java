package dev.herald.core.inbox;

import dev.herald.core.notification.Notification;
import java.util.List;

/** The unread notifications a client gets on connect, newest first (seed 003 §4.1). */
public record Pending(List<Notification> notifications, boolean hasMore) {
    public Pending {
        notifications = List.copyOf(notifications);
    }
}
