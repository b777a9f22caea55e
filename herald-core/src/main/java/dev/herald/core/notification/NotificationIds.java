package dev.herald.core.notification;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Makes notification ids: RFC 9562 UUIDv7, 48 bits of Unix milliseconds then random bits, written
 * in lower case. Ids of one inbox time sort after each other in generation order on this node (a
 * counter in the random part), so sorting by id is sorting by inbox time; the stores use
 * {@code (created_at, id)} as the total order and the sync cursor.
 *
 * <p>Thread-safe.
 */
public final class NotificationIds {
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private final SecureRandom random = new SecureRandom();
    // The 12 "rand_a" bits carry a counter that restarts each millisecond, so up to 4096 ids of one
    // millisecond keep their generation order (RFC 9562 method 1).
    private long lastMillis = Long.MIN_VALUE;
    private long sequence;

    /** A new id whose time part is {@code at} (milliseconds). */
    public String next(Instant at) {
        long millis = at.toEpochMilli();
        long seq;
        synchronized (this) {
            if (millis != lastMillis) {
                lastMillis = millis;
                sequence = 0;
            }
            seq = sequence++ & 0xFFF;
        }
        long msb = (millis << 16) | 0x7000L | seq;
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    /** True for a lower-case UUID text, the only shape the stores keep. */
    public static boolean isValid(String id) {
        return id != null && UUID_TEXT.matcher(id).matches();
    }

    /**
     * The smallest id of inbox time {@code at}: every id made for an earlier millisecond sorts
     * before it, every id of {@code at} or later after it (a primary-key range for "older than").
     */
    public static String lowestAt(Instant at) {
        return new UUID(at.toEpochMilli() << 16, 0L).toString();
    }

    /** The inbox time a valid v7 id carries (its first 48 bits). */
    public static Instant timeOf(String id) {
        return Instant.ofEpochMilli(UUID.fromString(id).getMostSignificantBits() >>> 16);
    }
}
