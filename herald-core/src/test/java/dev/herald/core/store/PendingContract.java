package dev.herald.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.inbox.Pending;
import dev.herald.core.inbox.SyncCursor;
import dev.herald.core.notification.Notification;
import dev.herald.core.notification.NotificationStatus;
import dev.herald.core.notification.Priority;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What {@link InboxReader#pending} must answer in its one read: the greeting's unread page and
 * where the user's inbox ends, which a sync arriving right after the greeting relies on.
 */
public abstract class PendingContract extends PortContract {
    /** A notification in the inbox at {@code at}, expiring at {@code expiresAt} (may be null). */
    private Notification note(String recipient, Instant at, Instant expiresAt) {
        NotificationStatus status = at.isAfter(now()) ? NotificationStatus.SCHEDULED : NotificationStatus.PENDING;
        return new Notification(ids.next(at), recipient, null, null, null, "comment", "New comment", "Nice!", "social",
                Priority.MEDIUM, status, null, at, at.isAfter(now()) ? at : null, null, null, expiresAt);
    }

    /** Saves {@code count} notifications one second apart, oldest first. */
    private List<Notification> saved(String recipient, int count) {
        List<Notification> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(note(recipient, now(), null));
            clock.advance(Duration.ofSeconds(1));
        }
        storage.notifications().saveAll(rows, null, now());
        return rows;
    }

    private static SyncCursor positionOf(Notification n) {
        return new SyncCursor(n.createdAt(), n.id());
    }

    @Test
    void answersTheUnreadNewestFirstAndWhetherMoreAreUnread() {
        String ann = user("ann");
        List<Notification> rows = saved(ann, 4);
        storage.notifications().markRead(ann, rows.get(1).id(), now());

        Pending two = storage.inbox().pending(ann, 2, now());
        Pending three = storage.inbox().pending(ann, 3, now());

        assertThat(two.notifications()).extracting(Notification::id).containsExactly(rows.get(3).id(), rows.get(2).id());
        assertThat(two.hasMore()).isTrue();
        assertThat(three.notifications()).extracting(Notification::id)
                .containsExactly(rows.get(3).id(), rows.get(2).id(), rows.get(0).id());
        assertThat(three.hasMore()).isFalse();
    }

    @Test
    void placesTheInboxEndAtTheNewestNotificationEvenWhenItIsRead() {
        String ben = user("ben");
        List<Notification> rows = saved(ben, 2);
        storage.notifications().markRead(ben, rows.get(1).id(), now());

        Pending pending = storage.inbox().pending(ben, 10, now());

        assertThat(pending.notifications()).extracting(Notification::id).containsExactly(rows.get(0).id());
        assertThat(pending.newest()).isEqualTo(positionOf(rows.get(1)));
    }

    @Test
    void placesTheInboxEndWhenNothingIsUnread() {
        String cy = user("cy");
        List<Notification> rows = saved(cy, 1);
        storage.notifications().markRead(cy, rows.getFirst().id(), now());

        Pending pending = storage.inbox().pending(cy, 10, now());

        assertThat(pending.notifications()).isEmpty();
        assertThat(pending.hasMore()).isFalse();
        assertThat(pending.newest()).isEqualTo(positionOf(rows.getFirst()));
    }

    @Test
    void givesNoInboxEndWhenNothingIsVisible() {
        String di = user("di"), eve = user("eve");
        Notification later = note(eve, now().plusSeconds(60), null);
        Notification expired = note(eve, now(), now().plusSeconds(5));
        storage.notifications().saveAll(List.of(later, expired), null, now());
        clock.advance(Duration.ofSeconds(10));

        Pending nobody = storage.inbox().pending(di, 10, now());
        Pending onlyHiddenOnes = storage.inbox().pending(eve, 10, now());

        assertThat(nobody.notifications()).isEmpty();
        assertThat(nobody.newest()).isNull();
        assertThat(onlyHiddenOnes.notifications()).isEmpty();
        assertThat(onlyHiddenOnes.newest()).isNull();
    }

    @Test
    void endsTheInboxWhereASyncFindsNothingMore() {
        String flo = user("flo");
        List<Notification> rows = saved(flo, 3);

        SyncCursor end = storage.inbox().pending(flo, 1, now()).newest();

        assertThat(storage.inbox().after(flo, end, 10, now()).items()).isEmpty();
        assertThat(storage.inbox().after(flo, SyncCursor.since(end.time()), 10, now()).items()).isEmpty();
        assertThat(storage.inbox().after(flo, SyncCursor.since(end.time().minusMillis(1)), 10, now()).items())
                .extracting(Notification::id).containsExactly(rows.get(2).id());
    }
}
