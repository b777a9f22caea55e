package dev.herald.core.inbox;

import dev.herald.core.notification.Notification;
import java.util.List;

/**
 * One page of an inbox: {@code total} matches the query's filters, {@code unreadCount} is every
 * unread visible notification of the user whatever the filters (the badge).
 */
public record InboxPage(List<Notification> items, long total, long unreadCount, int page, int limit) {
    public InboxPage {
        items = List.copyOf(items);
    }

    public boolean hasMore() {
        return (long) page * limit < total;
    }
}
