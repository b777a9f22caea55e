package dev.herald.core.inbox;

import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.notification.NotificationIds;
import java.time.Instant;
import java.util.Objects;

/**
 * Where a client's copy of its inbox ends: everything strictly after this point is "what came
 * after". A cursor is a position {@code (time, id)} in the inbox order; {@link #afterId} needs no
 * lookup because a notification id carries its inbox time, so it still works after the anchor was
 * deleted or purged.
 */
public record SyncCursor(Instant time, String id) {
    private static final String BEFORE_ANY_ID = "00000000-0000-0000-0000-000000000000";
    private static final String AFTER_ANY_ID = "ffffffff-ffff-ffff-ffff-ffffffffffff";

    public SyncCursor {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(id, "id");
    }

    /** Everything whose inbox time is after {@code since} (what arrived since that moment). */
    public static SyncCursor since(Instant since) {
        // Every id sorts before AFTER_ANY_ID, so rows at exactly `since` count as already seen.
        return new SyncCursor(Instant.ofEpochMilli(since.toEpochMilli()), AFTER_ANY_ID);
    }

    /** Everything after the notification with this id, in inbox order. */
    public static SyncCursor afterId(String id) {
        if (!NotificationIds.isValid(id)) {
            throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "afterId: not a notification id");
        }
        return new SyncCursor(NotificationIds.timeOf(id), id);
    }

    /** The whole inbox from the oldest. */
    public static SyncCursor beginning() {
        return new SyncCursor(Instant.EPOCH, BEFORE_ANY_ID);
    }
}
