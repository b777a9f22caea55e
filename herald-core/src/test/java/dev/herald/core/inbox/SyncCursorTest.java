package dev.herald.core.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.notification.NotificationIds;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SyncCursorTest {
    private final NotificationIds ids = new NotificationIds();
    private final Instant at = Instant.parse("2026-02-01T09:00:00.250Z");
    private final SyncCursor newest = new SyncCursor(at, ids.next(at));

    @Test
    void isPastANotificationOfAnEarlierInstant() {
        assertThat(SyncCursor.since(at.plusMillis(1)).isAtOrPast(newest)).isTrue();
        assertThat(SyncCursor.since(at.minusMillis(1)).isAtOrPast(newest)).isFalse();
    }

    @Test
    void countsItsOwnInstantAsSeenWhenMadeFromATime() {
        assertThat(SyncCursor.since(at).isAtOrPast(newest)).isTrue();
    }

    @Test
    void isAtItsOwnNotificationButNotAtAnotherOfTheSameInstant() {
        assertThat(SyncCursor.afterId(newest.id()).isAtOrPast(newest)).isTrue();
        assertThat(SyncCursor.afterId(ids.next(at)).isAtOrPast(newest)).isFalse();
    }

    @Test
    void isPastNothingFromTheBeginning() {
        assertThat(SyncCursor.beginning().isAtOrPast(newest)).isFalse();
    }
}
