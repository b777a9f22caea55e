package dev.herald.core.inbox;

import dev.herald.core.notification.Notification;
import java.util.List;

/**
 * The unread notifications a client gets on connect, newest first (seed 003 §4.1), and where the
 * user's inbox ended when they were read: {@code newest} is the position of the newest visible
 * notification, read or not, or null when the user had none.
 */
public record Pending(List<Notification> notifications, boolean hasMore, SyncCursor newest) {
    public Pending {
        notifications = List.copyOf(notifications);
    }
}
