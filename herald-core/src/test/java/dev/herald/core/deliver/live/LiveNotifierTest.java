package dev.herald.core.deliver.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.core.memory.MemoryBroker;
import dev.herald.core.route.Hub;
import dev.herald.core.testing.FakeSession;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What a node could not publish while its broker link was down reaches the user once it is back. */
class LiveNotifierTest {
    private final MemoryBroker broker = new MemoryBroker();
    private final Hub hub = new Hub(broker);
    private final LiveNotifier live = new LiveNotifier(hub);
    private final FakeSession tab = FakeSession.of("amy", "team");

    LiveNotifierTest() {
        hub.start();
        hub.join(tab, LiveNotifier.userRoom("amy"));
    }

    @Test
    void emitsAgainWhatFailedWhileTheLinkWasDownOnceItIsBack() {
        broker.cutLink(Instant.parse("2026-07-01T10:00:00Z"));
        live.emit("amy", LiveNotifier.NOTIFICATION, "{\"id\":\"n1\"}");
        live.emit("amy", LiveNotifier.NOTIFICATION, "{\"id\":\"n2\"}");
        assertThat(tab.sent(LiveNotifier.NOTIFICATION)).isEmpty();

        broker.restoreLink();
        await().atMost(Duration.ofSeconds(10)).until(() -> tab.sent(LiveNotifier.NOTIFICATION).size() == 2);
        assertThat(tab.sent(LiveNotifier.NOTIFICATION)).extracting(OutboundEvent::json)
                .containsExactly("{\"id\":\"n1\"}", "{\"id\":\"n2\"}");
        assertThat(live.failedCount()).isEqualTo(2);
    }

    @Test
    void sendsWhatSucceededOnlyOnce() {
        live.emit("amy", LiveNotifier.NOTIFICATION, "{\"id\":\"n1\"}");
        broker.cutLink(Instant.parse("2026-07-01T10:00:00Z"));
        live.emit("amy", LiveNotifier.NOTIFICATION, "{\"id\":\"marker\"}");
        broker.restoreLink();
        await().atMost(Duration.ofSeconds(10)).until(() -> tab.sent(LiveNotifier.NOTIFICATION).size() >= 2);
        assertThat(tab.sent(LiveNotifier.NOTIFICATION)).extracting(OutboundEvent::json)
                .containsExactly("{\"id\":\"n1\"}", "{\"id\":\"marker\"}");
    }
}
