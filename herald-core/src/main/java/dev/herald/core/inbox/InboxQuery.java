package dev.herald.core.inbox;

import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import java.time.Instant;
import java.util.Objects;

/**
 * One page of a user's inbox, newest first. {@code page} counts from 1; {@code limit} is 1..100;
 * {@code channel} and {@code type} filter when not null. {@code now} decides what is due and what
 * expired.
 */
public record InboxQuery(String recipientId, int page, int limit, boolean unreadOnly, String channel, String type,
                         Instant now) {
    public static final int MAX_LIMIT = 100;

    public InboxQuery {
        Objects.requireNonNull(recipientId, "recipientId");
        Objects.requireNonNull(now, "now");
        if (page < 1) throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "page: must be 1 or more");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "limit: must be between 1 and " + MAX_LIMIT);
        }
        if (channel != null && channel.isBlank()) channel = null;
        if (type != null && type.isBlank()) type = null;
    }

    public static InboxQuery firstPage(String recipientId, int limit, boolean unreadOnly, Instant now) {
        return new InboxQuery(recipientId, 1, limit, unreadOnly, null, null, now);
    }

    public long offset() {
        return (long) (page - 1) * limit;
    }
}
