package dev.herald.bench.inbox;

import dev.herald.core.inbox.InboxPage;
import dev.herald.core.inbox.InboxQuery;
import dev.herald.core.inbox.InboxService;
import dev.herald.core.inbox.Pending;
import dev.herald.core.inbox.SyncCursor;
import dev.herald.core.inbox.SyncPage;
import dev.herald.core.notification.Notification;
import dev.herald.core.store.InboxReader;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The measured calls, each checking its answer against the {@link Dataset}: the same port calls
 * the server makes for {@code GET /notifications}, {@code notifications:pending}, sync and
 * {@code markRead} (the last two through {@link InboxService}, as the gateway does).
 *
 * <p>Threading: the read checks may run on many threads at once (each caller passes its own
 * {@link Random}); {@link #markRead} runs on one thread and only before the concurrent load.
 */
final class InboxQueries {
    static final int PAGE_LIMIT = 20;
    static final int SYNC_LIMIT = 100;
    /** What {@code notifications:pending} sends on connect ({@code InboxEvents.DEFAULT_PENDING}). */
    static final int PENDING_LIMIT = 50;

    /** One measured call: true when the answer is the expected one. */
    @FunctionalInterface
    interface Check {
        boolean run(Random rnd);
    }

    /** A named call, with the port call it makes for the table. */
    record Query(String name, String call, Check check) {}

    private final Dataset data;
    private final InboxReader reader;
    private final InboxService service;
    private final int deepPage;
    private final AtomicInteger nextTarget = new AtomicInteger();

    InboxQueries(Dataset data, InboxReader reader, InboxService service, int deepPage) {
        this.data = data;
        this.reader = reader;
        this.service = service;
        this.deepPage = deepPage;
    }

    /** The single-thread measurements, in the order they run (markRead last: it changes the data). */
    List<Query> all() {
        return List.of(
                new Query("page 1, typical user", "page(limit 20)", rnd -> page(typical(rnd))),
                new Query("page 1, heavy user", "page(limit 20)", rnd -> page(0)),
                new Query("unread-only page, typical user", "page(limit 20, unreadOnly)", rnd -> unreadPage(typical(rnd))),
                new Query("unread-only page, heavy user", "page(limit 20, unreadOnly)", rnd -> unreadPage(0)),
                new Query("unread count, typical user", "page(limit 1, unreadOnly).unreadCount", rnd -> unreadCount(typical(rnd))),
                new Query("unread count, heavy user", "page(limit 1, unreadOnly).unreadCount", rnd -> unreadCount(0)),
                new Query("page " + deepPage + ", heavy user", "page(page " + deepPage + ", limit 20)", rnd -> deepPage()),
                new Query("sync afterId, 100 rows, heavy user", "after(afterId, 100)", this::syncHeavy),
                new Query("sync from start, 100 rows, typical user", "after(beginning, 100)", rnd -> syncStart(typical(rnd))),
                new Query("pending, typical user", "service.pending(50)", rnd -> pending(typical(rnd))),
                new Query("pending, heavy user", "service.pending(50)", rnd -> pending(0)),
                new Query("markRead one, typical user", "service.markRead", rnd -> markRead()));
    }

    /** How many distinct unread rows {@link #markRead} can still mark. */
    int markReadLeft() {
        return data.markReadTargets().size() - nextTarget.get();
    }

    /**
     * One call of the concurrent mix: a user drawn uniformly from all users (so the heavy user is
     * as rare as any other), then page 1 40 %, unread count 25 %, pending 15 %, unread-only page
     * 10 %, sync 10 %.
     */
    boolean mixed(Random rnd) {
        int user = rnd.nextInt(data.typicalUsers + 1);
        int pick = rnd.nextInt(100);
        if (pick < 40) return page(user);
        if (pick < 65) return unreadCount(user);
        if (pick < 80) return pending(user);
        if (pick < 90) return unreadPage(user);
        return syncStart(user);
    }

    static final String MIX = "users uniform; page 1 40 %, unread count 25 %, pending 15 %, unread-only page 10 %, sync 10 %";

    private int typical(Random rnd) {
        return 1 + rnd.nextInt(data.typicalUsers);
    }

    private boolean page(int user) {
        InboxPage p = reader.page(InboxQuery.firstPage(Dataset.userId(user), PAGE_LIMIT, false, data.now));
        return p.items().size() == Math.min(PAGE_LIMIT, data.visible(user)) && p.total() == data.visible(user)
                && p.unreadCount() == data.unread(user) && newestFirst(p.items());
    }

    private boolean unreadPage(int user) {
        InboxPage p = reader.page(InboxQuery.firstPage(Dataset.userId(user), PAGE_LIMIT, true, data.now));
        return p.items().size() == Math.min(PAGE_LIMIT, data.unread(user)) && p.total() == data.unread(user)
                && p.unreadCount() == data.unread(user) && p.items().stream().noneMatch(Notification::isRead)
                && newestFirst(p.items());
    }

    private boolean unreadCount(int user) {
        return reader.page(InboxQuery.firstPage(Dataset.userId(user), 1, true, data.now)).unreadCount() == data.unread(user);
    }

    private boolean deepPage() {
        InboxPage p = reader.page(new InboxQuery(Dataset.HEAVY, deepPage, PAGE_LIMIT, false, null, null, data.now));
        long expected = Math.clamp(data.visible(0) - (long) (deepPage - 1) * PAGE_LIMIT, 0, PAGE_LIMIT);
        List<String> ids = data.heavyVisibleIds();
        // Newest first: the first row of page k is the (k-1)*limit-th newest.
        boolean first = expected == 0 || p.items().getFirst().id().equals(ids.get(ids.size() - 1 - (deepPage - 1) * PAGE_LIMIT));
        return p.items().size() == expected && p.total() == data.visible(0) && first;
    }

    private boolean syncHeavy(Random rnd) {
        List<String> ids = data.heavyVisibleIds();
        if (ids.isEmpty()) return false;
        int anchor = rnd.nextInt(Math.max(1, ids.size() - SYNC_LIMIT));
        SyncPage s = reader.after(Dataset.HEAVY, SyncCursor.afterId(ids.get(anchor)), SYNC_LIMIT, data.now);
        int after = ids.size() - 1 - anchor;
        boolean first = after == 0 || s.items().getFirst().id().equals(ids.get(anchor + 1));
        return s.items().size() == Math.min(SYNC_LIMIT, after) && s.hasMore() == (after > SYNC_LIMIT) && first;
    }

    private boolean syncStart(int user) {
        SyncPage s = reader.after(Dataset.userId(user), SyncCursor.beginning(), SYNC_LIMIT, data.now);
        return s.items().size() == Math.min(SYNC_LIMIT, data.visible(user)) && s.hasMore() == (data.visible(user) > SYNC_LIMIT);
    }

    private boolean pending(int user) {
        Pending p = service.pending(Dataset.userId(user), PENDING_LIMIT);
        return p.notifications().size() == Math.min(PENDING_LIMIT, data.unread(user))
                && p.hasMore() == (data.unread(user) > PENDING_LIMIT);
    }

    private boolean markRead() {
        int i = nextTarget.getAndIncrement();
        if (i >= data.markReadTargets().size()) return false;
        Dataset.Target t = data.markReadTargets().get(i);
        Notification n = service.markRead(t.userId(), t.id());
        if (!n.isRead() || !n.readAt().equals(data.now)) return false;
        data.markedRead(t);
        return true;
    }

    private static boolean newestFirst(List<Notification> items) {
        for (int i = 1; i < items.size(); i++) {
            Notification a = items.get(i - 1), b = items.get(i);
            int c = a.createdAt().compareTo(b.createdAt());
            if (c < 0 || (c == 0 && a.id().compareTo(b.id()) <= 0)) return false;
        }
        return true;
    }
}
