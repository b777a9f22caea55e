package dev.herald.core.inbox;

import dev.herald.core.notification.Notification;
import java.util.List;

/**
 * What came after a cursor, oldest first, at most the asked limit. When {@code hasMore}, ask again
 * with {@link SyncCursor#afterId} of the last item.
 */
public record SyncPage(List<Notification> items, boolean hasMore) {
    public SyncPage {
        items = List.copyOf(items);
    }
}
