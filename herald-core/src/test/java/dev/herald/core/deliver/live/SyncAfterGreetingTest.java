package dev.herald.core.deliver.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.core.inbox.InboxService;
import dev.herald.core.inbox.Pending;
import dev.herald.core.memory.MemoryBroker;
import dev.herald.core.memory.MemoryNotificationStore;
import dev.herald.core.memory.MemoryPresenceRegistry;
import dev.herald.core.notification.Notification;
import dev.herald.core.notification.NotificationIds;
import dev.herald.core.notification.NotificationStatus;
import dev.herald.core.notification.Priority;
import dev.herald.core.route.Hub;
import dev.herald.core.route.RoomRules;
import dev.herald.core.testing.FakeSession;
import dev.herald.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A reconnecting client's first sync, answered from its greeting's read when nothing came after
 * its cursor. To tell an answer from the greeting's read from a fresh one, the tests store a
 * notification straight into the store after the greeting, as no live path would: a fresh read
 * finds it, the greeting's read cannot.
 */
class SyncAfterGreetingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final MutableClock clock = MutableClock.at("2026-02-01T09:00:00Z");
    private final Hub hub = new Hub(new MemoryBroker());
    private final MemoryNotificationStore store = new MemoryNotificationStore();
    private final NotificationIds ids = new NotificationIds();
    private final InboxEvents events = new InboxEvents(new InboxService(store.storage(), new LiveNotifier(hub), clock), 2, clock);
    private final HeraldSessionHandler sessions = new HeraldSessionHandler("node", hub, new MemoryPresenceRegistry(),
            new RoomRules(null), new ClientLimits(100, 5), clock, ConnectionObserver.NONE);
    private final List<String> replies = new CopyOnWriteArrayList<>();

    SyncAfterGreetingTest() {
        hub.start();
        events.registerOn(sessions);
    }

    /** One second passes, then a notification is stored for the user, at that time, and not announced. */
    private Notification storedQuietly(String user) {
        clock.advance(Duration.ofSeconds(1));
        Instant at = clock.instant();
        Notification n = new Notification(ids.next(at), user, null, null, null, "comment", "Hi", "", "social",
                Priority.MEDIUM, NotificationStatus.PENDING, null, at, null, null, null, null);
        store.storage().notifications().saveAll(List.of(n), null, at);
        return n;
    }

    private FakeSession greeted(String user) {
        FakeSession s = FakeSession.of(user, "team");
        sessions.open(s);
        sessions.ready(s);
        return s;
    }

    private List<String> syncSince(FakeSession s, Instant since) throws Exception {
        replies.clear();
        String data = "{\"since\":\"" + since + "\"}";
        sessions.event(s, new ClientEvent(InboxEvents.SYNC, JSON.readTree(data), replies::add));
        assertThat(replies).hasSize(1);
        JsonNode answer = JSON.readTree(replies.getFirst());
        assertThat(answer.get("ok").asBoolean()).isTrue();
        return answer.get("notifications").findValuesAsText("id");
    }

    @Test
    void answersTheFirstSyncFromTheGreetingsReadWhenNothingCameAfterTheCursor() throws Exception {
        storedQuietly("ann");
        Instant lostAt = clock.instant();
        FakeSession s = greeted("ann");
        Notification afterTheGreeting = storedQuietly("ann");

        assertThat(syncSince(s, lostAt)).isEmpty();
        assertThat(syncSince(s, lostAt)).containsExactly(afterTheGreeting.id());
    }

    @Test
    void readsAgainWhenSomethingCameAfterTheCursorBeforeTheGreeting() throws Exception {
        Instant lostAt = clock.instant();
        Notification missed = storedQuietly("ben");
        FakeSession s = greeted("ben");
        Notification afterTheGreeting = storedQuietly("ben");

        assertThat(syncSince(s, lostAt)).containsExactly(missed.id(), afterTheGreeting.id());
    }

    @Test
    void readsAgainWhenTheSyncComesLongAfterTheGreeting() throws Exception {
        Instant lostAt = clock.instant();
        FakeSession s = greeted("cy");
        Notification afterTheGreeting = storedQuietly("cy");
        clock.advance(GreetedInboxes.FRESH_FOR);

        assertThat(syncSince(s, lostAt)).containsExactly(afterTheGreeting.id());
    }

    @Test
    void readsAgainWhenTheGreetingsRoomsWereNotConfirmed() throws Exception {
        Instant lostAt = clock.instant();
        FakeSession s = FakeSession.of("di", "team");
        events.sendPending(s, false);
        Notification afterTheGreeting = storedQuietly("di");

        assertThat(syncSince(s, lostAt)).containsExactly(afterTheGreeting.id());
    }

    @Test
    void forgetsTheGreetingWhenTheSessionCloses() throws Exception {
        Instant lostAt = clock.instant();
        FakeSession s = greeted("eve");
        sessions.closed(s, DisconnectReason.CLIENT_CLOSED);
        Notification afterTheGreeting = storedQuietly("eve");

        assertThat(syncSince(s, lostAt)).containsExactly(afterTheGreeting.id());
    }

    @Test
    void keepsOnlyTheGreetingsOfTheLastFewSeconds() {
        GreetedInboxes greeted = new GreetedInboxes(clock);
        Pending empty = new Pending(List.of(), false, null);
        for (int i = 0; i < 3; i++) greeted.remember("old-" + i, empty);
        clock.advance(GreetedInboxes.FRESH_FOR.plusMillis(1));

        greeted.remember("new", empty);

        assertThat(greeted.size()).isEqualTo(1);
    }
}
