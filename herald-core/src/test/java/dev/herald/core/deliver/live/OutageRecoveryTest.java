package dev.herald.core.deliver.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.Json;
import dev.herald.core.inbox.InboxService;
import dev.herald.core.memory.MemoryBroker;
import dev.herald.core.memory.MemoryNotificationStore;
import dev.herald.core.memory.MemoryPresenceRegistry;
import dev.herald.core.notification.CreateNotification;
import dev.herald.core.pipeline.NotificationPipeline;
import dev.herald.core.pipeline.PipelineConfig;
import dev.herald.core.route.Hub;
import dev.herald.core.route.RoomRules;
import dev.herald.core.testing.FakeSession;
import dev.herald.core.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One node on an in-memory broker whose link is cut and restored, with the real pipeline and inbox. */
class OutageRecoveryTest {
    private final MutableClock clock = MutableClock.at("2026-03-01T12:00:00Z");
    private final MemoryBroker broker = new MemoryBroker();
    private final Hub hub = new Hub(broker);
    private final MemoryNotificationStore store = new MemoryNotificationStore();
    private final NotificationPipeline pipeline =
            new NotificationPipeline(store.storage(), new LiveNotifier(hub), clock, PipelineConfig.defaults());
    private final InboxService inbox = new InboxService(store.storage(), new LiveNotifier(hub), clock);
    private final HeraldSessionHandler sessions = new HeraldSessionHandler("node", hub, new MemoryPresenceRegistry(),
            new RoomRules(null), new ClientLimits(100, 5), clock, ConnectionObserver.NONE);

    OutageRecoveryTest() {
        new OutageRecovery(hub, sessions, inbox, Runnable::run).watch();
        hub.start();
    }

    private FakeSession connected(String user) {
        FakeSession s = FakeSession.of(user, "team");
        sessions.open(s);
        sessions.ready(s);
        return s;
    }

    private String create(String user, String title) {
        String id = pipeline.create(CreateNotification.to(user, "message", title, "")).ids().getFirst();
        clock.advance(Duration.ofMillis(10));
        return id;
    }

    private static List<String> ids(List<OutboundEvent> events) {
        List<String> out = new ArrayList<>();
        for (OutboundEvent e : events) out.add(Json.parse(e.json(), "event").path("id").asText());
        return out;
    }

    @Test
    void pushesANotificationStoredDuringTheOutageWhenTheBrokerIsBack() {
        FakeSession tab = connected("alice");
        broker.cutLink(clock.instant());
        String id = create("alice", "while down");
        assertThat(tab.sent(LiveNotifier.NOTIFICATION)).isEmpty();

        broker.restoreLink();

        assertThat(ids(tab.sent(LiveNotifier.NOTIFICATION))).containsOnly(id);
    }

    @Test
    void pushesToASessionThatConnectedDuringTheOutage() {
        broker.cutLink(clock.instant());
        FakeSession tab = connected("frank");
        assertThat(tab.sentNames()).startsWith("connection_ready", "connected");
        String id = create("frank", "while down");

        broker.restoreLink();

        assertThat(ids(tab.sent(LiveNotifier.NOTIFICATION))).containsOnly(id);
    }

    @Test
    void pushesToEveryLocalTabOfTheUserButNotToOtherUsers() {
        FakeSession tab1 = connected("bob"), tab2 = connected("bob"), carol = connected("carol");
        broker.cutLink(clock.instant());
        String id = create("bob", "for bob");

        broker.restoreLink();

        assertThat(ids(tab1.sent(LiveNotifier.NOTIFICATION))).containsOnly(id);
        assertThat(ids(tab2.sent(LiveNotifier.NOTIFICATION))).containsOnly(id);
        assertThat(carol.sent(LiveNotifier.NOTIFICATION)).isEmpty();
    }

    @Test
    void leavesOutWhatWasStoredWellBeforeTheOutage() {
        FakeSession tab = connected("dave");
        String old = create("dave", "long ago, delivered live");
        clock.advance(OutageRecovery.MARGIN.plusSeconds(1));
        broker.cutLink(clock.instant());
        String id = create("dave", "while down");

        broker.restoreLink();

        assertThat(ids(tab.sent(LiveNotifier.NOTIFICATION))).containsOnly(old, id).filteredOn(old::equals).hasSize(1);
    }

    @Test
    void sendsASyncHintAfterTheFirstHundredInsteadOfAnUnboundedBurst() {
        FakeSession tab = connected("erin");
        broker.cutLink(clock.instant());
        List<String> created = new ArrayList<>();
        for (int i = 0; i <= OutageRecovery.MAX_PUSHED; i++) created.add(create("erin", "n" + i));

        broker.restoreLink();

        // The recovery pushes the first hundred and a hint; the creating node's own re-emit of what it
        // could not publish is bounded the same way (clients dedupe by id).
        List<String> sent = ids(tab.sent(LiveNotifier.NOTIFICATION));
        assertThat(sent.stream().distinct().toList()).isEqualTo(created.subList(0, OutageRecovery.MAX_PUSHED));
        assertThat(sent).hasSizeLessThanOrEqualTo(2 * OutageRecovery.MAX_PUSHED);
        JsonNode hint = Json.parse(tab.sent(OutageRecovery.SYNC_HINT).getFirst().json(), "hint");
        assertThat(hint.path("afterId").asText()).isEqualTo(created.get(OutageRecovery.MAX_PUSHED - 1));
    }
}
