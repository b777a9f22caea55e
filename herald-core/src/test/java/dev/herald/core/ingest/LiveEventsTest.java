package dev.herald.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.deliver.live.Transport;
import dev.herald.core.memory.MemoryBroker;
import dev.herald.core.memory.MemoryPresenceRegistry;
import dev.herald.core.route.Broker;
import dev.herald.core.route.BrokerListener;
import dev.herald.core.route.ConnectionInfo;
import dev.herald.core.route.ConnectionStats;
import dev.herald.core.route.Hub;
import dev.herald.core.route.RoomMessage;
import dev.herald.core.testing.FakeSession;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Two nodes on one in-memory bus sharing one presence registry: a cluster in miniature. */
class LiveEventsTest {
    final Clock clock = Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC);
    final MemoryBroker.Bus bus = new MemoryBroker.Bus();
    final MemoryPresenceRegistry presence = new MemoryPresenceRegistry();
    final dev.herald.core.memory.MemoryRoomDirectory rooms = new dev.herald.core.memory.MemoryRoomDirectory();
    final Hub node1 = startedHub(new Hub(new MemoryBroker(bus), rooms));
    final Hub node2 = startedHub(new Hub(new MemoryBroker(bus), rooms));
    final LiveEvents realtime = new LiveEvents(node1, presence, clock, LiveEventsConfig.DEFAULTS);

    static Hub startedHub(Broker broker) {
        return startedHub(new Hub(broker));
    }

    static Hub startedHub(Hub hub) {
        hub.start();
        return hub;
    }

    /** What the gateway does on connect: register in presence, join user: and team: rooms. */
    FakeSession connect(Hub node, String userId, String teamId, Transport transport) {
        FakeSession s = new FakeSession(dev.herald.core.auth.Principal.user(userId, teamId), transport);
        presence.register(new ConnectionInfo(s.id(), userId, teamId, transport, node == node1 ? "n1" : "n2", clock.instant()));
        node.join(s, "user:" + userId);
        if (teamId != null) node.join(s, "team:" + teamId);
        return s;
    }

    FakeSession connect(Hub node, String userId, String teamId) {
        return connect(node, userId, teamId, Transport.WEBSOCKET);
    }

    static ErrorCode refusal(ThrowingCallable call) {
        HeraldException e = catchThrowableOfType(HeraldException.class, call);
        if (e == null) throw new AssertionError("expected a refusal, but the call succeeded");
        return e.code();
    }

    @Test
    void deliversToEveryTabOfTheUserOnEveryNode() {
        FakeSession tab1 = connect(node1, "u1", "t1"), tab2 = connect(node2, "u1", "t1"), other = connect(node1, "u2", "t1");

        LiveEvents.Delivery result = realtime.sendToUser("u1", "notification", "{\"id\":\"n1\"}", "c-1");

        assertThat(result).isEqualTo(new LiveEvents.Delivery(true, 2));
        assertThat(tab1.sent("notification")).singleElement().extracting(e -> e.json()).isEqualTo("{\"id\":\"n1\"}");
        assertThat(tab2.sentNames()).containsExactly("notification");
        assertThat(other.sent()).isEmpty();
    }

    @Test
    void reportsNotDeliveredForAUserWithNoConnection() {
        assertThat(realtime.sendToUser("ghost", "notification", "{}", null)).isEqualTo(new LiveEvents.Delivery(false, 0));
    }

    @Test
    void sendsABlankPayloadAsJsonNull() {
        FakeSession tab = connect(node1, "u1", null);

        realtime.sendToUser("u1", "ping", "", null);

        assertThat(tab.sent("ping")).singleElement().extracting(e -> e.json()).isEqualTo("null");
    }

    @Test
    void sendsToManyUsersOnceEachAndCountsTheirConnections() {
        FakeSession a1 = connect(node1, "a", "t"), a2 = connect(node2, "a", "t"), b = connect(node2, "b", "t");

        LiveEvents.BatchDelivery result = realtime.sendToUsers(List.of("a", "b", "c", "a"), "e", "1", null);

        assertThat(result.totalUsers()).isEqualTo(3);
        assertThat(result.deliveredCount()).isEqualTo(2);
        assertThat(result.connectionsByUser()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of("a", 2, "b", 1, "c", 0));
        assertThat(a1.sentNames()).containsExactly("e");
        assertThat(a2.sentNames()).containsExactly("e");
        assertThat(b.sentNames()).containsExactly("e");
    }

    @Test
    void broadcastsToATeamOnEveryNodeLeavingOutExcludedUsers() {
        FakeSession a = connect(node1, "a", "t"), b = connect(node2, "b", "t"), b2 = connect(node1, "b", "t"),
                c = connect(node2, "c", "t"), outsider = connect(node1, "d", "other");

        LiveEvents.Broadcast result = realtime.broadcastToRoom("team:t", "announce", "{}", Set.of("a"), null);

        assertThat(result).isEqualTo(new LiveEvents.Broadcast(true, 3));
        assertThat(a.sent()).isEmpty();
        assertThat(List.of(b, b2, c)).allSatisfy(s -> assertThat(s.sentNames()).containsExactly("announce"));
        assertThat(outsider.sent()).isEmpty();
    }

    @Test
    void treatsABareRoomIdAsATeamId() {
        FakeSession member = connect(node2, "a", "t1");

        LiveEvents.Broadcast result = realtime.broadcastToRoom("t1", "announce", "{}", Set.of(), null);

        assertThat(result).isEqualTo(new LiveEvents.Broadcast(true, 1));
        assertThat(member.sentNames()).containsExactly("announce");
    }

    @Test
    void countsEveryNodesMembersOfAnyOtherRoomThroughTheDirectory() {
        FakeSession here = connect(node1, "a", null), there = connect(node2, "b", null), also = connect(node2, "c", null);
        node1.join(here, "channel:news");
        node2.join(there, "channel:news");
        node2.join(also, "channel:news");

        LiveEvents.Broadcast result = realtime.broadcastToRoom("channel:news", "news", "{}", Set.of(), null);
        LiveEvents.Broadcast withoutC = realtime.broadcastToRoom("channel:news", "news", "{}", Set.of("c"), null);

        assertThat(result).isEqualTo(new LiveEvents.Broadcast(true, 3));
        assertThat(withoutC).isEqualTo(new LiveEvents.Broadcast(true, 2));
        assertThat(there.sentNames()).containsExactly("news", "news");
        assertThat(also.sentNames()).containsExactly("news");
        node2.leaveAll(there);
        assertThat(realtime.broadcastToRoom("channel:news", "news", "{}", Set.of(), null).recipientCount()).isEqualTo(2);
    }

    @Test
    void aBroadcastWithAcksGathersTheAcksOfEveryNodesClients() {
        FakeSession a = connect(node1, "a", "t1").acking("\"ok-a\""), b = connect(node2, "b", "t1").acking("{\"seen\":true}");
        FakeSession silent = connect(node2, "c", "t1").acking(null), plain = connect(node1, "d", "t1");

        LiveEvents.AckedBroadcast r = realtime.broadcastWithAck("team:t1", "alert", "{\"level\":1}", Set.of(), Duration.ofSeconds(5), null);

        assertThat(r.recipients()).isEqualTo(4);
        assertThat(r.acked()).isEqualTo(2);
        assertThat(r.timedOut()).isEqualTo(2);
        assertThat(r.responses()).containsExactlyInAnyOrder("\"ok-a\"", "{\"seen\":true}");
        assertThat(plain.sentNames()).containsExactly("alert");
        assertThat(silent.sentNames()).containsExactly("alert");
        LiveEvents.AckedBroadcast withoutB = realtime.broadcastWithAck("t1", "alert", "{}", Set.of("b"), Duration.ofSeconds(5), null);
        assertThat(withoutB.recipients()).isEqualTo(3);
        assertThat(withoutB.responses()).containsExactly("\"ok-a\"");
        assertThat(b.sentNames()).containsExactly("alert");
        assertThat(realtime.broadcastWithAck("channel:nobody", "alert", "{}", Set.of(), Duration.ofSeconds(1), null))
                .isEqualTo(new LiveEvents.AckedBroadcast(0, 0, 0, List.of()));
        assertThat(refusal(() -> realtime.broadcastWithAck("t1", "alert", "{}", Set.of(), Duration.ofMinutes(2), null)))
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void aBroadcastToEveryoneReachesEveryClientOnEveryNodeButTheExcludedOnes() {
        FakeSession a = connect(node1, "a", "t1"), b = connect(node2, "b", null), c = connect(node2, "c", "t2");

        LiveEvents.Broadcast all = realtime.broadcastToEveryone("maintenance", "{\"at\":\"22:00\"}", Set.of(), null);
        LiveEvents.Broadcast notC = realtime.broadcastToEveryone("maintenance", "{}", Set.of("c"), null);

        assertThat(all).isEqualTo(new LiveEvents.Broadcast(true, 3));
        assertThat(notC).isEqualTo(new LiveEvents.Broadcast(true, 2));
        assertThat(a.sentNames()).containsExactly("maintenance", "maintenance");
        assertThat(b.sentNames()).containsExactly("maintenance", "maintenance");
        assertThat(c.sentNames()).containsExactly("maintenance");
        assertThat(refusal(() -> realtime.broadcastToEveryone("connect", "{}", Set.of(), null))).isEqualTo(ErrorCode.INVALID_EVENT_TYPE);
    }

    @Test
    void countsAUserRoomBroadcastByTheUsersConnections() {
        FakeSession tab1 = connect(node1, "u1", null), tab2 = connect(node2, "u1", null);

        LiveEvents.Broadcast result = realtime.broadcastToRoom("user:u1", "e", "{}", Set.of(), null);

        assertThat(result).isEqualTo(new LiveEvents.Broadcast(true, 2));
        assertThat(tab2.sentNames()).containsExactly("e");
        assertThat(realtime.broadcastToRoom("user:u1", "e", "{}", Set.of("u1"), null)).isEqualTo(new LiveEvents.Broadcast(false, 0));
        assertThat(tab1.sentNames()).containsExactly("e");
    }

    @Test
    void reportsNoRecipientsForAnEmptyTeam() {
        assertThat(realtime.broadcastToRoom("team:empty", "e", "{}", Set.of(), null)).isEqualTo(new LiveEvents.Broadcast(false, 0));
    }

    @Test
    void listsTheSocketIdsOfAConnectedUserOnEveryNode() {
        FakeSession s1 = connect(node1, "u1", null), s2 = connect(node2, "u1", null);

        LiveEvents.UserConnections result = realtime.isUserConnected("u1");

        assertThat(result.connected()).isTrue();
        assertThat(result.connectionCount()).isEqualTo(2);
        assertThat(result.socketIds()).containsExactlyInAnyOrder(s1.id(), s2.id());
        assertThat(realtime.isUserConnected("nobody")).isEqualTo(new LiveEvents.UserConnections(false, 0, List.of()));
    }

    @Test
    void reportsStatsForTheClusterAndForOneTeam() {
        connect(node1, "a", "t1", Transport.WEBSOCKET);
        connect(node2, "b", "t1", Transport.POLLING);
        connect(node2, "c", "t2", Transport.WEBSOCKET);

        ConnectionStats all = realtime.stats("");
        ConnectionStats t1 = realtime.stats("t1");

        assertThat(all.totalConnections()).isEqualTo(3);
        assertThat(all.connectionsByTeam()).containsEntry("t1", 2).containsEntry("t2", 1);
        assertThat(t1.totalConnections()).isEqualTo(2);
        assertThat(t1.pollingConnections()).isEqualTo(1);
    }

    @Test
    void disconnectsEveryConnectionOfTheUserWithTheReason() {
        FakeSession s1 = connect(node1, "u1", null), s2 = connect(node2, "u1", null), other = connect(node1, "u2", null);

        int count = realtime.disconnectUser("u1", "account suspended");

        assertThat(count).isEqualTo(2);
        assertThat(List.of(s1, s2)).allSatisfy(s -> {
            assertThat(s.closedWith().code()).isEqualTo("server_disconnect");
            assertThat(s.closedWith().message()).isEqualTo("account suspended");
        });
        assertThat(other.isOpen()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"})
    void refusesAnEventNameReservedBySocketIoWithInvalidEventType(String reserved) {
        assertThat(refusal(() -> realtime.sendToUser("u1", reserved, "{}", null))).isEqualTo(ErrorCode.INVALID_EVENT_TYPE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "é", "a/b"})
    void refusesAMalformedEventNameWithInvalidEventType(String name) {
        assertThat(refusal(() -> realtime.broadcastToRoom("team:t", name, "{}", Set.of(), null))).isEqualTo(ErrorCode.INVALID_EVENT_TYPE);
    }

    @Test
    void refusesAnEventNameLongerThan64CharactersWithInvalidEventType() {
        assertThat(refusal(() -> realtime.sendToUser("u1", "e".repeat(65), "{}", null))).isEqualTo(ErrorCode.INVALID_EVENT_TYPE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "{'a':1}", "{} {}", "nope"})
    void refusesAPayloadThatIsNotJsonWithInvalidArgument(String payload) {
        assertThat(refusal(() -> realtime.sendToUser("u1", "e", payload, null))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void refusesAPayloadOverTheLimitWithPayloadTooLarge() {
        LiveEvents small = new LiveEvents(node1, presence, clock, new LiveEventsConfig(100, 10, Duration.ofSeconds(1)));
        String big = "\"" + "x".repeat(100) + "\"";

        assertThat(refusal(() -> small.sendToUser("u1", "e", big, null))).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE);
    }

    @Test
    void refusesBlankIdsWithInvalidArgument() {
        assertThat(refusal(() -> realtime.sendToUser(" ", "e", "{}", null))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(refusal(() -> realtime.sendToUsers(List.of("a", ""), "e", "{}", null))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(refusal(() -> realtime.sendToUsers(List.of(), "e", "{}", null))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(refusal(() -> realtime.broadcastToRoom("", "e", "{}", Set.of(), null))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(refusal(() -> realtime.isUserConnected(null))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(refusal(() -> realtime.disconnectUser("", "x"))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void refusesMoreUsersThanTheLimitWithInvalidArgument() {
        LiveEvents small = new LiveEvents(node1, presence, clock, new LiveEventsConfig(1000, 2, Duration.ofSeconds(1)));

        assertThat(refusal(() -> small.sendToUsers(List.of("a", "b", "c"), "e", "{}", null))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void answersDeliveryFailedWhenTheBrokerRefusesTheMessage() {
        Hub broken = startedHub(new RefusingBroker());
        FakeSession s = new FakeSession(dev.herald.core.auth.Principal.user("u1", null));
        presence.register(new ConnectionInfo(s.id(), "u1", null, Transport.WEBSOCKET, "n3", clock.instant()));
        LiveEvents onBrokenNode = new LiveEvents(broken, presence, clock, LiveEventsConfig.DEFAULTS);

        assertThat(refusal(() -> onBrokenNode.sendToUser("u1", "e", "{}", null))).isEqualTo(ErrorCode.DELIVERY_FAILED);
    }

    @Test
    void answersBrokerUnavailableToASendWhileTheBrokerLinkIsDown() {
        MemoryBroker broker = new MemoryBroker();
        Hub cut = startedHub(broker);
        connect(node1, "u1", null);
        LiveEvents onCutNode = new LiveEvents(cut, presence, clock, LiveEventsConfig.DEFAULTS);
        broker.cutLink(clock.instant());

        assertThat(refusal(() -> onCutNode.sendToUser("u1", "e", "{}", null))).isEqualTo(ErrorCode.BROKER_UNAVAILABLE);
    }

    @Test
    void answersBrokerUnavailableToARoomBroadcastWhoseMessageTheBrokerDidNotTake() {
        Hub refusing = startedHub(new RefusingBroker(new HeraldException(ErrorCode.BROKER_UNAVAILABLE, "link down")));
        LiveEvents onRefusingNode = new LiveEvents(refusing, presence, clock, LiveEventsConfig.DEFAULTS);
        refusing.join(FakeSession.of("u1", null), "channel:x");

        assertThat(refusal(() -> onRefusingNode.broadcastToRoom("channel:x", "e", "{}", Set.of(), null)))
                .isEqualTo(ErrorCode.BROKER_UNAVAILABLE);
    }

    /** A broker whose connection is gone: every publish fails. */
    static final class RefusingBroker implements Broker {
        private final RuntimeException failure;

        RefusingBroker() {
            this(new IllegalStateException("connection lost"));
        }

        RefusingBroker(RuntimeException failure) {
            this.failure = failure;
        }

        @Override public void start(BrokerListener listener) { }
        @Override public CompletionStage<Void> subscribe(String room) { return CompletableFuture.completedFuture(null); }
        @Override public void unsubscribe(String room) { }
        @Override public CompletionStage<Void> publish(String room, RoomMessage message) {
            return CompletableFuture.failedFuture(failure);
        }
        @Override public void close() { }
    }
}
