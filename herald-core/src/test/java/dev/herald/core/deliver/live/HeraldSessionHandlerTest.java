package dev.herald.core.deliver.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.Json;
import dev.herald.core.auth.Principal;
import dev.herald.core.deliver.live.ClientEvent;
import dev.herald.core.deliver.live.DisconnectReason;
import dev.herald.core.memory.MemoryBroker;
import dev.herald.core.memory.MemoryPresenceRegistry;
import dev.herald.core.route.Hub;
import dev.herald.core.route.RoomRules;
import dev.herald.core.testing.FakeSession;
import dev.herald.core.testing.MutableClock;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HeraldSessionHandlerTest {
    private final Hub hub = new Hub(new MemoryBroker());
    private final MemoryPresenceRegistry presence = new MemoryPresenceRegistry();
    private final MutableClock clock = MutableClock.at("2026-11-24T10:00:00Z");
    private HeraldSessionHandler handler = handler(new ClientLimits(100, 5));

    HeraldSessionHandlerTest() {
        hub.start();
    }

    private HeraldSessionHandler handler(ClientLimits limits) {
        return new HeraldSessionHandler("node-1", hub, presence, new RoomRules(null), limits, clock, ConnectionObserver.NONE);
    }

    private FakeSession connect(Principal p) {
        FakeSession s = new FakeSession(p);
        handler.open(s);
        handler.ready(s);
        clock.advance(java.time.Duration.ofMillis(1));
        return s;
    }

    private FakeSession connect(String user, String team) {
        return connect(Principal.user(user, team));
    }

    private static JsonNode json(String text) {
        return Json.parse(text, "test");
    }

    /** Sends an event with an ack and returns the ack's JSON answer. */
    private JsonNode ask(FakeSession s, String event, String data) {
        AtomicReference<String> answer = new AtomicReference<>();
        handler.event(s, new ClientEvent(event, json(data), answer::set));
        return json(answer.get());
    }

    @Test
    void greetsWithConnectionReadyThenConnected() {
        FakeSession s = connect("alice", "t1");

        assertThat(s.sentNames()).containsExactly("connection_ready", "connected");
        JsonNode ready = json(s.sent().getFirst().json());
        assertThat(ready.get("socketId").asText()).isEqualTo(s.id());
        assertThat(ready.get("userId").asText()).isEqualTo("alice");
        assertThat(ready.get("teamId").asText()).isEqualTo("t1");
        assertThat(ready.get("serverTime").asText()).isNotBlank();
    }

    @Test
    void joinsTheUserAndTeamRoomsAutomatically() {
        FakeSession s = connect("alice", "t1");

        assertThat(hub.roomsOf(s)).containsExactlyInAnyOrder("user:alice", "team:t1");
    }

    @Test
    void refusesConnectionsBeyondTheNodeCapWithConnectionLimitReached() {
        handler = handler(new ClientLimits(1, 5));
        connect("a", null);

        assertThatThrownBy(() -> handler.open(FakeSession.of("b", null)))
                .isInstanceOf(HeraldException.class)
                .extracting(e -> ((HeraldException) e).code()).isEqualTo(ErrorCode.CONNECTION_LIMIT_REACHED);
    }

    @Test
    void freesACapSlotWhenASessionCloses() {
        handler = handler(new ClientLimits(1, 5));
        FakeSession first = connect("a", null);
        handler.closed(first, DisconnectReason.CLIENT_CLOSED);

        connect("b", null);

        assertThat(handler.localConnections()).isEqualTo(1);
    }

    @Test
    void disconnectsTheOldestConnectionOfAUserBeyondFive() {
        FakeSession oldest = connect("bob", "t");
        for (int i = 0; i < 4; i++) connect("bob", "t");

        FakeSession sixth = connect("bob", "t");

        assertThat(oldest.closedWith()).isEqualTo(DisconnectReason.TOO_MANY_CONNECTIONS);
        assertThat(sixth.isOpen()).isTrue();
    }

    @Test
    void tellsTheTeamWhenAUserComesOnlineAndGoesOffline() {
        FakeSession watcher = connect("carol", "t");
        FakeSession tab1 = connect("dave", "t");
        FakeSession tab2 = connect("dave", "t");

        handler.closed(tab1, DisconnectReason.CLIENT_CLOSED);
        assertThat(watcher.sentNames()).containsExactly("connection_ready", "connected", "presence:user:online");
        handler.closed(tab2, DisconnectReason.CLIENT_CLOSED);

        assertThat(watcher.sent("presence:user:offline")).extracting(e -> e.json()).containsExactly("\"dave\"");
        assertThat(tab2.sent("presence:user:online")).isEmpty();
    }

    @Test
    void stopsAnnouncingArrivalsOnceATeamPassesThePresenceLimit() {
        handler = handler(new ClientLimits(100, 5, 1));
        FakeSession watcher = connect("w", "big");
        connect("x", "big");
        FakeSession third = connect("y", "big");

        handler.closed(third, DisconnectReason.CLIENT_CLOSED);

        assertThat(watcher.sent("presence:user:online")).extracting(e -> e.json()).containsExactly("\"x\"");
        assertThat(watcher.sent("presence:user:offline")).isEmpty();
    }

    @Test
    void refusesAForbiddenRoomJoinWithForbidden() {
        FakeSession s = connect("erin", "t");

        JsonNode answer = ask(s, "room:join", "\"team:other\"");

        assertThat(answer.at("/error/code").asText()).isEqualTo("FORBIDDEN");
        assertThat(hub.roomsOf(s)).doesNotContain("team:other");
    }

    @Test
    void joinsAGroupTheTokenNamesAndConfirmsIt() {
        FakeSession s = connect(new Principal("fay", "t", Set.of(), Set.of("g1"), null, null));

        JsonNode answer = ask(s, "room:join", "{\"room\":\"group:g1\"}");

        assertThat(answer.get("ok").asBoolean()).isTrue();
        assertThat(s.sent("room:joined")).extracting(e -> e.json()).containsExactly("\"group:g1\"");
        assertThat(hub.roomsOf(s)).contains("group:g1");
    }

    @Test
    void subscribesToTopicChannelsAndReceivesWhatIsSentThere() {
        FakeSession s = connect("gus", "t");

        JsonNode answer = ask(s, "subscribe", "{\"channels\":[\"orders\",\"messages\"]}");
        hub.emit("channel:orders", "notification", "{}", Set.of());

        assertThat(answer.get("channels")).hasSize(2);
        assertThat(s.sent("notification")).hasSize(1);
        ask(s, "unsubscribe", "{\"channels\":[\"orders\"]}");
        assertThat(hub.roomsOf(s)).contains("channel:messages").doesNotContain("channel:orders");
    }

    @Test
    void answersAnUnknownEventWithInvalidEventType() {
        FakeSession s = connect("hal", "t");

        assertThat(ask(s, "fly", "{}").at("/error/code").asText()).isEqualTo("INVALID_EVENT_TYPE");
    }

    @Test
    void emitsAnErrorEventWhenARefusedEventAskedForNoAck() {
        FakeSession s = connect("ivy", "t");

        handler.event(s, new ClientEvent("room:join", NullNode.getInstance(), null));

        JsonNode error = json(s.sent("error").getFirst().json());
        assertThat(error.get("code").asText()).isEqualTo("INVALID_ARGUMENT");
        assertThat(error.get("event").asText()).isEqualTo("room:join");
    }

    @Test
    void refusesNulInAnEventsDataNamingThePath() {
        FakeSession s = connect("nia", "t");

        JsonNode answer = ask(s, "subscribe", "{\"channels\":[\"news\",\"or\\u0000ders\"]}");

        assertThat(answer.at("/error/code").asText()).isEqualTo("INVALID_ARGUMENT");
        assertThat(answer.at("/error/message").asText()).isEqualTo("data.channels[1]: must not contain U+0000");
        assertThat(hub.roomsOf(s)).doesNotContain("channel:news");
    }

    @Test
    void refusesALoneSurrogateInAnEventsData() {
        FakeSession s = connect("noa", "t");

        JsonNode answer = ask(s, "room:join", "\"channel:\\ud800\"");

        assertThat(answer.at("/error/message").asText()).startsWith("data: must not contain an unpaired surrogate");
    }

    @Test
    void answersAStoreFailureInsideAnEventAsInternalWithoutItsCause() {
        handler.on("boom", (session, event) -> {
            throw new HeraldException(ErrorCode.INTERNAL, "inbox store failed (SQLState 22021)", new IllegalStateException());
        });
        FakeSession s = connect("ola", "t");

        JsonNode answer = ask(s, "boom", "{}");

        assertThat(answer.at("/error/code").asText()).isEqualTo("INTERNAL");
        assertThat(answer.at("/error/message").asText()).doesNotContain("SQLState");
    }

    @Test
    void refusesToLeaveTheOwnUserRoom() {
        FakeSession s = connect("jay", "t");

        assertThat(ask(s, "room:leave", "\"user:jay\"").at("/error/code").asText()).isEqualTo("FORBIDDEN");
    }

    @Test
    void sharesAPresenceStatusWithTheTeam() {
        FakeSession watcher = connect("kim", "t");
        FakeSession s = connect("lou", "t");

        assertThat(ask(s, "presence:update", "\"away\"").get("status").asText()).isEqualTo("away");

        assertThat(watcher.sent("presence:user:status").getFirst().json()).contains("\"status\":\"away\"");
        assertThat(ask(s, "presence:update", "{\"status\":\"dancing\"}").at("/error/code").asText()).isEqualTo("INVALID_ARGUMENT");
    }

    @Test
    void recordsAnUpgradeInTheRegistry() {
        FakeSession s = new FakeSession(Principal.user("max", "t"), dev.herald.core.deliver.live.Transport.POLLING);
        handler.open(s);
        s.upgrade();

        handler.transportChanged(s);

        assertThat(presence.stats("t").websocketConnections()).isEqualTo(1);
    }


    @Test
    void admitsASessionEvenWhenTheCapCheckAfterRegistrationFails() {
        HeraldSessionHandler h = new HeraldSessionHandler("node-1", hub, new FailingLookups(), new RoomRules(null),
                new ClientLimits(100, 1), clock, ConnectionObserver.NONE);
        FakeSession first = new FakeSession(Principal.user("zed", "t"));
        FakeSession second = new FakeSession(Principal.user("zed", "t"));
        h.open(first);

        h.open(second);

        assertThat(h.localConnections()).isEqualTo(2);
        assertThat(second.isOpen()).isTrue();
    }

    /** A registry whose look-ups fail, as Redis does when it goes away between two calls. */
    private static final class FailingLookups implements dev.herald.core.route.PresenceRegistry {
        private final MemoryPresenceRegistry inner = new MemoryPresenceRegistry();
        @Override public int register(dev.herald.core.route.ConnectionInfo c) { return inner.register(c); }
        @Override public int unregister(dev.herald.core.route.ConnectionInfo c) { return inner.unregister(c); }
        @Override public void update(dev.herald.core.route.ConnectionInfo c) { inner.update(c); }
        @Override public java.util.List<dev.herald.core.route.ConnectionInfo> connectionsOf(String userId) {
            throw new HeraldException(ErrorCode.UNAVAILABLE, "registry unavailable");
        }
        @Override public dev.herald.core.route.ConnectionStats stats(String teamId) { return inner.stats(teamId); }
        @Override public void setStatus(String userId, dev.herald.core.route.PresenceStatus status) { inner.setStatus(userId, status); }
        @Override public dev.herald.core.route.PresenceStatus statusOf(String userId) { return inner.statusOf(userId); }
    }
}
