package dev.herald.bench.inbox;

import dev.herald.core.notification.Notification;
import dev.herald.core.notification.NotificationIds;
import dev.herald.core.notification.NotificationStatus;
import dev.herald.core.notification.Priority;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The seeded inbox and what every query over it must return. Rows are one second apart from
 * 2026-01-01 (as in herald-store/QUERY-PLANS.md) with core's UUIDv7 ids, and their recipients are
 * shuffled so every inbox spreads over the whole time range: one heavy user holds
 * {@code heavyRows}, the rest go to typical users holding {@code perUser} each. About 70 % are
 * read; 3 % carry an expiry, a third of which has already passed at {@link #now} (so the
 * "not expired" filter really removes rows).
 *
 * <p>The expected counts are exact, because the same seed always yields the same rows. They are
 * filled by {@link #generate} and then kept in step by {@link #markedRead}.
 *
 * <p>Threading: {@link #generate} and {@link #markedRead} run on one thread; the getters may then
 * be read from many (the mixed load reads the counts only after the last write).
 */
final class Dataset {
    static final String HEAVY = "heavy-user";
    static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");
    private static final String[] TYPES = {"comment", "mention", "like", "follow", "system"};
    private static final double READ_SHARE = 0.70;
    private static final double EXPIRY_SHARE = 0.03;

    final int rows;
    final int heavyRows;
    final int typicalUsers;
    /** Queries run at this instant: a day after the newest row, so every row is due. */
    final Instant now;
    private final long seed;
    private final int[] visible;
    private final int[] unread;
    private final List<String> heavyVisibleIds;
    private final List<Target> markReadTargets = new ArrayList<>();
    private final int markReadPool;

    /** An unread notification of a typical user, for markRead. */
    record Target(String userId, int user, String id) {}

    Dataset(int rows, int heavyRows, int perUser, int markReadPool, long seed) {
        if (rows < 1 || heavyRows < 0 || heavyRows >= rows || perUser < 1) {
            throw new IllegalArgumentException("need rows > heavyRows >= 0 and perUser >= 1");
        }
        this.rows = rows;
        this.heavyRows = heavyRows;
        this.typicalUsers = Math.max(1, (rows - heavyRows + perUser - 1) / perUser);
        this.now = BASE.plusSeconds(rows).plus(Duration.ofDays(1));
        this.seed = seed;
        this.markReadPool = markReadPool;
        this.visible = new int[typicalUsers + 1];
        this.unread = new int[typicalUsers + 1];
        this.heavyVisibleIds = new ArrayList<>(heavyRows);
    }

    /** User 0 is the heavy user, 1..typicalUsers the typical ones. */
    static String userId(int user) {
        return user == 0 ? HEAVY : "user-" + user;
    }

    int visible(int user) {
        return visible[user];
    }

    int unread(int user) {
        return unread[user];
    }

    /** The heavy user's visible ids in inbox order (oldest first). */
    List<String> heavyVisibleIds() {
        return heavyVisibleIds;
    }

    List<Target> markReadTargets() {
        return markReadTargets;
    }

    /** Keeps the expected counts in step after a successful markRead of an unread row. */
    void markedRead(Target t) {
        unread[t.user()]--;
    }

    /** Hands the rows to {@code sink} in inbox order, {@code batch} at a time, and fills the expectations. */
    void generate(int batch, Consumer<List<Notification>> sink) {
        int[] recipients = shuffledRecipients();
        Random rnd = new Random(seed + 1);
        Random sample = new Random(seed + 2);
        // Sample unread typical rows evenly over time, so markRead is not confined to the oldest ones.
        int stride = Math.max(1, (int) (rows * (1 - READ_SHARE) / Math.max(1, markReadPool)));
        NotificationIds ids = new NotificationIds();
        List<Notification> out = new ArrayList<>(batch);
        for (int i = 0; i < rows; i++) {
            int user = recipients[i];
            Instant created = BASE.plusSeconds(i);
            boolean read = rnd.nextDouble() < READ_SHARE;
            Instant expires = null;
            if (rnd.nextDouble() < EXPIRY_SHARE) {
                expires = rnd.nextInt(3) == 0 ? created.plus(Duration.ofHours(1)) : now.plus(Duration.ofDays(30));
            }
            int type = rnd.nextInt(TYPES.length);
            boolean acked = rnd.nextInt(5) != 0;
            String id = ids.next(created);
            out.add(row(id, user, i, type, read, acked, created, expires, rnd.nextInt(1_000_000)));
            boolean isVisible = expires == null || expires.isAfter(now);
            if (isVisible) {
                visible[user]++;
                if (!read) unread[user]++;
                if (user == 0) heavyVisibleIds.add(id);
                if (!read && user != 0 && markReadTargets.size() < markReadPool && sample.nextInt(stride) == 0) {
                    markReadTargets.add(new Target(userId(user), user, id));
                }
            }
            if (out.size() == batch) {
                sink.accept(out);
                out = new ArrayList<>(batch);
            }
        }
        if (!out.isEmpty()) sink.accept(out);
    }

    private int[] shuffledRecipients() {
        int[] recipients = new int[rows];
        for (int i = heavyRows; i < rows; i++) recipients[i] = 1 + (i - heavyRows) % typicalUsers;
        Random rnd = new Random(seed);
        for (int i = rows - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = recipients[i];
            recipients[i] = recipients[j];
            recipients[j] = t;
        }
        return recipients;
    }

    private static Notification row(String id, int user, int i, int type, boolean read, boolean acked, Instant created,
                                    Instant expires, int actor) {
        String kind = TYPES[type];
        int post = i % 50_000;
        Instant delivered = read || acked ? created.plusSeconds(2) : null;
        NotificationStatus status = read ? NotificationStatus.READ : delivered != null ? NotificationStatus.DELIVERED
                : NotificationStatus.PENDING;
        // Sizes like a social app's notification: a short title, a sentence, a small JSON payload.
        return new Notification(id, userId(user), "user-" + actor, "post", "post-" + post, kind,
                "New " + kind + " on your post", "Someone left a " + kind + " on \"Weekly update #" + post
                        + "\": open it to see the whole thread and reply.",
                "in_app", type == 4 ? Priority.HIGH : Priority.MEDIUM, status,
                "{\"postId\":\"post-" + post + "\",\"url\":\"/posts/" + post + "\",\"actor\":\"user-" + actor + "\"}",
                created, null, delivered, read ? created.plusSeconds(60) : null, expires);
    }
}
