package dev.herald.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.inbox.InboxPage;
import dev.herald.core.inbox.InboxQuery;
import dev.herald.core.inbox.SyncCursor;
import dev.herald.core.inbox.SyncPage;
import dev.herald.core.notification.Notification;
import dev.herald.core.notification.NotificationStatus;
import dev.herald.core.notification.Priority;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link NotificationStore} (with the {@link InboxReader} and {@link InboxMaintenance}
 * of the same storage) must do. Each test gets a fresh storage; time is the test's
 * {@link #clock}, passed to the store explicitly, so no test waits.
 */
public abstract class NotificationStoreContract extends PortContract {
    protected NotificationStore notifications;
    protected InboxReader inbox;
    protected InboxMaintenance maintenance;

    @BeforeEach
    void ports() {
        notifications = storage.notifications();
        inbox = storage.inbox();
        maintenance = storage.maintenance();
    }

    /** A notification accepted now, then one second passes so the next one sorts after it. */
    protected Notification note(String recipient, String type, String channel) {
        Instant at = now();
        clock.advance(Duration.ofSeconds(1));
        return new Notification(ids.next(at), recipient, "actor-1", "order", "o-1", type, "Order updated",
                "Your order #12345 has been shipped", channel, Priority.HIGH, NotificationStatus.PENDING,
                "{\"orderId\":\"12345\",\"status\":\"shipped\"}", at, null, null, null, null);
    }

    protected Notification note(String recipient) {
        return note(recipient, "order_status", "orders");
    }

    protected Notification scheduled(String recipient, Instant at, Instant expiresAt) {
        return new Notification(ids.next(at), recipient, null, null, null, "reminder", "Later", "", "system",
                Priority.LOW, NotificationStatus.SCHEDULED, null, at, at, null, null, expiresAt);
    }

    protected Notification expiring(String recipient, Instant expiresAt) {
        Notification n = note(recipient);
        return new Notification(n.id(), n.recipientId(), n.actorId(), n.entityType(), n.entityId(), n.type(),
                n.title(), n.message(), n.channel(), n.priority(), n.status(), n.data(), n.createdAt(),
                n.scheduledAt(), n.deliveredAt(), n.readAt(), expiresAt);
    }

    protected List<Notification> save(Notification... rows) {
        return notifications.saveAll(List.of(rows), null, now()).notifications();
    }

    private Idempotency key(String key, String fingerprint) {
        return new Idempotency(key + "-" + run, fingerprint, now().plus(Duration.ofHours(24)));
    }

    private InboxPage firstPage(String recipient) {
        return inbox.page(new InboxQuery(recipient, 1, 100, false, null, null, now()));
    }

    @Test
    void keepsEveryFieldOfANotificationIntact() {
        String alice = user("alice");
        Notification n = note(alice);

        save(n);

        assertThat(inbox.find(alice, n.id(), now())).contains(n);
    }

    @Test
    void findsANotificationOnlyForItsOwner() {
        Notification n = note(user("alice"));
        save(n);

        assertThat(inbox.find(user("mallory"), n.id(), now())).isEmpty();
        assertThat(inbox.find(user("alice"), ids.next(now()), now())).isEmpty();
    }

    @Test
    void pagesTheInboxNewestFirstWithTotalAndUnreadCount() {
        String bob = user("bob");
        List<Notification> all = new ArrayList<>();
        for (int i = 0; i < 5; i++) all.add(note(bob));
        notifications.saveAll(all, null, now());
        notifications.markRead(bob, all.get(4).id(), now());

        InboxPage page2 = inbox.page(new InboxQuery(bob, 2, 2, false, null, null, now()));

        assertThat(page2.items()).extracting(Notification::id).containsExactly(all.get(2).id(), all.get(1).id());
        assertThat(page2.total()).isEqualTo(5);
        assertThat(page2.unreadCount()).isEqualTo(4);
        assertThat(page2.hasMore()).isTrue();
    }

    @Test
    void filtersThePageByUnreadChannelAndType() {
        String carol = user("carol");
        Notification order = note(carol, "order_status", "orders");
        Notification chat = note(carol, "message", "messages");
        Notification readChat = note(carol, "message", "messages");
        save(order, chat, readChat);
        notifications.markRead(carol, readChat.id(), now());

        InboxPage unreadMessages = inbox.page(new InboxQuery(carol, 1, 10, true, "messages", null, now()));
        InboxPage orders = inbox.page(new InboxQuery(carol, 1, 10, false, null, "order_status", now()));

        assertThat(unreadMessages.items()).extracting(Notification::id).containsExactly(chat.id());
        assertThat(unreadMessages.total()).isEqualTo(1);
        assertThat(unreadMessages.unreadCount()).isEqualTo(2);
        assertThat(orders.items()).extracting(Notification::id).containsExactly(order.id());
    }

    @Test
    void answersAnEmptyInboxWithAnEmptyPage() {
        InboxPage page = firstPage(user("nobody"));

        assertThat(page.items()).isEmpty();
        assertThat(page.total()).isZero();
        assertThat(page.unreadCount()).isZero();
    }

    @Test
    void replaysTheFirstAnswerForALiveIdempotencyKey() {
        String dan = user("dan");
        Notification first = note(dan);
        Saved saved = notifications.saveAll(List.of(first), key("k1", "fp-1"), now());

        Saved again = notifications.saveAll(List.of(note(dan)), key("k1", "fp-2"), now());

        assertThat(saved.replayed()).isFalse();
        assertThat(again.replayed()).isTrue();
        assertThat(again.ids()).containsExactly(first.id());
        assertThat(again.notifications()).containsExactly(first);
        assertThat(again.fingerprint()).isEqualTo("fp-1");
        assertThat(firstPage(dan).total()).isEqualTo(1);
    }

    @Test
    void acceptsAKeyAgainOnceItExpired() {
        String erin = user("erin");
        notifications.saveAll(List.of(note(erin)), new Idempotency("k2-" + run, "fp", now().plusSeconds(60)), now());
        clock.advance(Duration.ofSeconds(61));

        Saved later = notifications.saveAll(List.of(note(erin)), key("k2", "fp"), now());

        assertThat(later.replayed()).isFalse();
        assertThat(firstPage(erin).total()).isEqualTo(2);
    }

    @Test
    void writesOnceWhenConcurrentRequestsShareAKey() throws Exception {
        String fay = user("fay");
        List<Callable<Saved>> tasks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Notification n = note(fay);
            tasks.add(() -> notifications.saveAll(List.of(n), key("k3", "fp"), now()));
        }
        List<Saved> answers = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Saved> f : pool.invokeAll(tasks)) answers.add(f.get());
        }

        assertThat(answers).filteredOn(s -> !s.replayed()).hasSize(1);
        assertThat(answers).extracting(Saved::ids).containsOnly(answers.getFirst().ids());
        assertThat(firstPage(fay).total()).isEqualTo(1);
    }

    @Test
    void savesAllOrNothing() {
        String gus = user("gus");
        Notification existing = note(gus);
        save(existing);
        Notification fresh = note(gus);

        assertThatThrownBy(() -> notifications.saveAll(List.of(fresh, existing), null, now())).isInstanceOf(RuntimeException.class);

        assertThat(inbox.find(gus, fresh.id(), now())).isEmpty();
        assertThat(firstPage(gus).total()).isEqualTo(1);
    }

    @Test
    void holdsAScheduledNotificationUntilItIsDue() {
        String hal = user("hal");
        Instant due = now().plus(Duration.ofHours(1));
        Notification later = scheduled(hal, due, null);
        save(later);

        assertThat(firstPage(hal).items()).isEmpty();
        assertThat(inbox.find(hal, later.id(), now())).isEmpty();
        assertThat(inbox.after(hal, SyncCursor.beginning(), 10, now()).items()).isEmpty();
        assertThat(notifications.releaseDue(now(), 10)).isEmpty();
        assertThat(inbox.nextScheduledAt(now())).contains(due);

        clock.set(due);
        List<Notification> released = notifications.releaseDue(now(), 10);

        assertThat(released).extracting(Notification::id).containsExactly(later.id());
        assertThat(released.getFirst().status()).isEqualTo(NotificationStatus.PENDING);
        assertThat(inbox.find(hal, later.id(), now())).map(Notification::status).contains(NotificationStatus.PENDING);
        assertThat(notifications.releaseDue(now(), 10)).isEmpty();
        assertThat(inbox.nextScheduledAt(now())).isEmpty();
    }

    @Test
    void releasesEachDueNotificationExactlyOnceUnderConcurrency() throws Exception {
        String ida = user("ida");
        Instant due = now().plusSeconds(10);
        List<Notification> batch = new ArrayList<>();
        for (int i = 0; i < 40; i++) batch.add(scheduled(ida, due, null));
        notifications.saveAll(batch, null, now());
        clock.set(due);

        CountDownLatch go = new CountDownLatch(1);
        List<Callable<List<Notification>>> claimers = new ArrayList<>();
        for (int i = 0; i < 4; i++) claimers.add(() -> {
            go.await();
            List<Notification> mine = new ArrayList<>();
            for (List<Notification> got; !(got = notifications.releaseDue(now(), 7)).isEmpty(); ) mine.addAll(got);
            return mine;
        });
        List<String> released = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<Notification>>> futures = claimers.stream().map(pool::submit).toList();
            go.countDown();
            for (Future<List<Notification>> f : futures) f.get().forEach(n -> released.add(n.id()));
        }

        assertThat(released).doesNotHaveDuplicates().hasSize(40);
    }

    @Test
    void neitherListsNorReleasesExpiredNotifications() {
        String jo = user("jo");
        Notification soon = expiring(jo, now().plusSeconds(30));
        Notification scheduledThenExpired = scheduled(jo, now().plusSeconds(10), now().plusSeconds(20));
        save(soon, scheduledThenExpired);
        assertThat(firstPage(jo).items()).extracting(Notification::id).containsExactly(soon.id());

        clock.advance(Duration.ofMinutes(1));

        assertThat(firstPage(jo).items()).isEmpty();
        assertThat(firstPage(jo).unreadCount()).isZero();
        assertThat(inbox.find(jo, soon.id(), now())).isEmpty();
        assertThat(inbox.after(jo, SyncCursor.beginning(), 10, now()).items()).isEmpty();
        assertThat(notifications.releaseDue(now(), 10)).isEmpty();
        assertThat(inbox.nextScheduledAt(now())).isEmpty();
    }

    @Test
    void marksReadOnceAndKeepsTheFirstTime() {
        String kim = user("kim");
        Notification n = note(kim);
        save(n);
        Instant firstRead = now();

        Notification read = notifications.markRead(kim, n.id(), firstRead).orElseThrow();
        clock.advance(Duration.ofMinutes(5));
        Notification again = notifications.markRead(kim, n.id(), now()).orElseThrow();

        assertThat(read.readAt()).isEqualTo(firstRead);
        assertThat(read.status()).isEqualTo(NotificationStatus.READ);
        assertThat(again.readAt()).isEqualTo(firstRead);
        assertThat(inbox.find(kim, n.id(), now()).orElseThrow().readAt()).isEqualTo(firstRead);
    }

    @Test
    void refusesToMarkAnotherUsersNotification() {
        Notification n = note(user("lea"));
        save(n);

        assertThat(notifications.markRead(user("mallory"), n.id(), now())).isEmpty();
        assertThat(notifications.markDelivered(user("mallory"), n.id(), now())).isEmpty();
        assertThat(notifications.delete(user("mallory"), n.id())).isFalse();
        assertThat(inbox.find(user("lea"), n.id(), now()).orElseThrow().readAt()).isNull();
    }

    @Test
    void marksEveryUnreadNotificationReadAndSaysWhich() {
        String max = user("max");
        Notification a = note(max), b = note(max), c = note(max);
        Notification others = note(user("ned"));
        save(a, b, c, others);
        notifications.markRead(max, b.id(), now());

        List<String> changed = notifications.markAllRead(max, now());

        assertThat(changed).containsExactlyInAnyOrder(a.id(), c.id());
        assertThat(firstPage(max).unreadCount()).isZero();
        assertThat(firstPage(user("ned")).unreadCount()).isEqualTo(1);
        assertThat(notifications.markAllRead(max, now())).isEmpty();
    }

    @Test
    void recordsDeliveryWithoutEverUnreading() {
        String olga = user("olga");
        Notification fresh = note(olga), alreadyRead = note(olga);
        save(fresh, alreadyRead);
        notifications.markRead(olga, alreadyRead.id(), now());
        Instant ackAt = now();

        Notification delivered = notifications.markDelivered(olga, fresh.id(), ackAt).orElseThrow();
        Notification stillRead = notifications.markDelivered(olga, alreadyRead.id(), ackAt).orElseThrow();

        assertThat(delivered.status()).isEqualTo(NotificationStatus.DELIVERED);
        assertThat(delivered.deliveredAt()).isEqualTo(ackAt);
        assertThat(stillRead.status()).isEqualTo(NotificationStatus.READ);
        assertThat(stillRead.deliveredAt()).isEqualTo(ackAt);
        assertThat(firstPage(olga).unreadCount()).isEqualTo(1);
    }

    @Test
    void deletesOneNotificationOfItsOwner() {
        String pat = user("pat");
        Notification gone = note(pat), kept = note(pat);
        save(gone, kept);

        assertThat(notifications.delete(pat, gone.id())).isTrue();
        assertThat(notifications.delete(pat, gone.id())).isFalse();
        assertThat(firstPage(pat).items()).extracting(Notification::id).containsExactly(kept.id());
    }

    @Test
    void syncsWhatCameAfterAnIdInOrderPageByPage() {
        String quinn = user("quinn");
        List<Notification> all = new ArrayList<>();
        for (int i = 0; i < 7; i++) all.add(note(quinn));
        notifications.saveAll(all, null, now());

        SyncPage first = inbox.after(quinn, SyncCursor.afterId(all.get(1).id()), 3, now());
        SyncPage second = inbox.after(quinn, SyncCursor.afterId(first.items().getLast().id()), 3, now());

        assertThat(first.items()).extracting(Notification::id)
                .containsExactly(all.get(2).id(), all.get(3).id(), all.get(4).id());
        assertThat(first.hasMore()).isTrue();
        assertThat(second.items()).extracting(Notification::id).containsExactly(all.get(5).id(), all.get(6).id());
        assertThat(second.hasMore()).isFalse();
    }

    @Test
    void syncsAfterAnIdThatWasDeleted() {
        String rae = user("rae");
        Notification a = note(rae), b = note(rae), c = note(rae);
        save(a, b, c);
        notifications.delete(rae, b.id());

        SyncPage page = inbox.after(rae, SyncCursor.afterId(b.id()), 10, now());

        assertThat(page.items()).extracting(Notification::id).containsExactly(c.id());
    }

    @Test
    void syncsWhatCameAfterATimestampIncludingReadOnes() {
        String sam = user("sam");
        Notification before = note(sam);
        Instant since = before.createdAt();
        Notification after1 = note(sam), after2 = note(sam);
        save(before, after1, after2);
        notifications.markRead(sam, after1.id(), now());

        SyncPage page = inbox.after(sam, SyncCursor.since(since), 10, now());

        assertThat(page.items()).extracting(Notification::id).containsExactly(after1.id(), after2.id());
        assertThat(page.items().getFirst().readAt()).isNotNull();
    }

    @Test
    void purgesExpiredAndOldNotificationsAndDeadKeys() {
        String tom = user("tom");
        Notification old = note(tom);
        clock.advance(Duration.ofDays(40));
        Notification expired = expiring(tom, now().plusSeconds(5));
        Notification kept = note(tom);
        notifications.saveAll(List.of(kept), new Idempotency("k4-" + run, "fp", now().plusSeconds(5)), now());
        save(old, expired);
        clock.advance(Duration.ofSeconds(10));

        PurgeResult result = maintenance.purge(now(), now().minus(Duration.ofDays(30)));

        assertThat(result.expired()).isGreaterThanOrEqualTo(1);
        assertThat(result.old()).isGreaterThanOrEqualTo(1);
        assertThat(result.idempotencyKeys()).isGreaterThanOrEqualTo(1);
        assertThat(firstPage(tom).items()).extracting(Notification::id).containsExactly(kept.id());
        assertThat(inbox.find(tom, old.id(), now())).isEmpty();
        assertThat(notifications.saveAll(List.of(note(tom)), key("k4", "fp"), now()).replayed()).isFalse();
    }

    @Test
    void erasesEveryNotificationOfAUserAndNoOneElses() {
        String uma = user("uma"), vic = user("vic");
        save(note(uma), note(uma), scheduled(uma, now().plusSeconds(60), null), note(vic));

        int erased = notifications.eraseUser(uma);

        assertThat(erased).isEqualTo(3);
        assertThat(firstPage(uma).total()).isZero();
        clock.advance(Duration.ofMinutes(2));
        assertThat(notifications.releaseDue(now(), 10)).isEmpty();
        assertThat(firstPage(vic).total()).isEqualTo(1);
    }
}
