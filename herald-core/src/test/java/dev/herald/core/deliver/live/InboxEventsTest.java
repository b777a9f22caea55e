package dev.herald.core.deliver.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.herald.core.deliver.live.ClientEvent;
import dev.herald.core.deliver.live.ClientLimits;
import dev.herald.core.deliver.live.ConnectionObserver;
import dev.herald.core.deliver.live.HeraldSessionHandler;
import dev.herald.core.deliver.live.LiveNotifier;
import dev.herald.core.inbox.InboxService;
import dev.herald.core.memory.MemoryBroker;
import dev.herald.core.memory.MemoryNotificationStore;
import dev.herald.core.memory.MemoryPresenceRegistry;
import dev.herald.core.notification.CreateNotification;
import dev.herald.core.notification.NotificationStatus;
import dev.herald.core.pipeline.NotificationPipeline;
import dev.herald.core.pipeline.PipelineConfig;
import dev.herald.core.route.Hub;
import dev.herald.core.route.RoomRules;
import dev.herald.core.testing.FakeSession;
import dev.herald.core.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class InboxEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final MutableClock clock = MutableClock.at("2026-02-01T09:00:00Z");
    private final Hub hub = new Hub(new MemoryBroker());
    private final MemoryNotificationStore store = new MemoryNotificationStore();
    private final NotificationPipeline service =
            new NotificationPipeline(store.storage(), new LiveNotifier(hub), clock, PipelineConfig.defaults());
    private final InboxService inbox = new InboxService(store.storage(), new LiveNotifier(hub), clock);
    private final InboxEvents events = new InboxEvents(inbox, 2);
    private final HeraldSessionHandler sessions = new HeraldSessionHandler("node", hub, new MemoryPresenceRegistry(),
            new RoomRules(null), new ClientLimits(100, 5), clock, ConnectionObserver.NONE);
    private final List<String> replies = new CopyOnWriteArrayList<>();

    InboxEventsTest() {
        hub.start();
        events.registerOn(sessions);
    }

    private FakeSession session(String user) {
        FakeSession s = FakeSession.of(user, "team");
        hub.join(s, LiveNotifier.userRoom(user));
        return s;
    }

    private ClientEvent withAck(String name, String data) throws Exception {
        return new ClientEvent(name, data == null ? NullNode.getInstance() : JSON.readTree(data), replies::add);
    }

    private ClientEvent noAck(String name, String data) throws Exception {
        return new ClientEvent(name, JSON.readTree(data), null);
    }

    private JsonNode reply() throws Exception {
        assertThat(replies).hasSize(1);
        return JSON.readTree(replies.getFirst());
    }

    private List<String> create(String user, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(service.create(CreateNotification.to(user, "message", "Hi " + i, "")).ids().getFirst());
            clock.advance(Duration.ofSeconds(1));
        }
        return ids;
    }

    @Test
    void greetsANewSessionWithItsUnreadNotifications() throws Exception {
        List<String> ids = create("alice", 3);
        FakeSession s = session("alice");

        events.sendPending(s);

        JsonNode pending = JSON.readTree(s.sent(InboxEvents.PENDING).getFirst().json());
        assertThat(pending.get("notifications")).extracting(n -> n.get("id").asText()).containsExactly(ids.get(2), ids.get(1));
        assertThat(pending.get("hasMore").asBoolean()).isTrue();
    }

    @Test
    void answersASyncAfterAnIdThroughTheAck() throws Exception {
        List<String> ids = create("bob", 3);
        FakeSession s = session("bob");

        sessions.event(s, withAck(InboxEvents.SYNC, "{\"afterId\":\"" + ids.get(0) + "\",\"limit\":1}"));

        JsonNode answer = reply();
        assertThat(answer.get("ok").asBoolean()).isTrue();
        assertThat(answer.get("notifications")).extracting(n -> n.get("id").asText()).containsExactly(ids.get(1));
        assertThat(answer.get("hasMore").asBoolean()).isTrue();
    }

    @Test
    void sendsMissedNotificationsAsEventsWhenTheClientAskedWithoutAnAck() throws Exception {
        List<String> ids = create("carol", 3);
        String since = inbox.get("carol", ids.get(0)).createdAt().toString();
        FakeSession s = session("carol");

        sessions.event(s, noAck(InboxEvents.REQUEST_MISSED, "{\"since\":\"" + since + "\"}"));

        assertThat(s.sent(LiveNotifier.NOTIFICATION))
                .extracting(e -> JSON.readTree(e.json()).get("id").asText()).containsExactly(ids.get(1), ids.get(2));
    }

    @Test
    void refusesAMalformedSinceWithInvalidArgument() throws Exception {
        sessions.event(session("dan"), withAck(InboxEvents.SYNC, "{\"since\":\"yesterday\"}"));

        assertThat(reply().at("/error/code").asText()).isEqualTo("INVALID_ARGUMENT");
    }

    @Test
    void acknowledgesDeliveryOfANotification() throws Exception {
        String id = create("eve", 1).getFirst();

        sessions.event(session("eve"), withAck(InboxEvents.ACK, "{\"notificationId\":\"" + id + "\"}"));

        assertThat(reply().get("status").asText()).isEqualTo("delivered");
        assertThat(inbox.get("eve", id).status()).isEqualTo(NotificationStatus.DELIVERED);
    }

    @Test
    void marksReadGivenTheBareIdAsSeed003ClientsSendIt() throws Exception {
        String id = create("fay", 1).getFirst();
        FakeSession other = session("fay");

        sessions.event(session("fay"), withAck(InboxEvents.READ, "\"" + id + "\""));

        assertThat(reply().get("ok").asBoolean()).isTrue();
        assertThat(inbox.get("fay", id).readAt()).isNotNull();
        assertThat(other.sent(LiveNotifier.NOTIFICATION_STATUS)).hasSize(1);
    }

    @Test
    void answersNotFoundForAnotherUsersNotification() throws Exception {
        String id = create("gus", 1).getFirst();

        sessions.event(session("mallory"), withAck(InboxEvents.READ, "{\"notificationId\":\"" + id + "\"}"));

        assertThat(reply().at("/error/code").asText()).isEqualTo("NOT_FOUND");
        assertThat(inbox.get("gus", id).readAt()).isNull();
    }

    @Test
    void sendsAnErrorEventWhenARefusedClientDidNotAskForAnAck() throws Exception {
        FakeSession s = session("hal");

        sessions.event(s, noAck(InboxEvents.ACK, "{}"));

        assertThat(JSON.readTree(s.sent("error").getFirst().json()).get("code").asText()).isEqualTo("INVALID_ARGUMENT");
    }

    @Test
    void readsAllAndSaysHowMany() throws Exception {
        create("ida", 3);

        sessions.event(session("ida"), withAck(InboxEvents.READ_ALL, null));

        assertThat(reply().get("count").asInt()).isEqualTo(3);
        assertThat(inbox.pending("ida", 10).notifications()).isEmpty();
    }
}
