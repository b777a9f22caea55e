package dev.herald.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.core.deliver.live.LiveNotifier;
import dev.herald.core.inbox.InboxService;
import dev.herald.core.memory.MemoryBroker;
import dev.herald.core.notification.CreateNotification;
import dev.herald.core.pipeline.NotificationPipeline;
import dev.herald.core.pipeline.PipelineConfig;
import dev.herald.core.route.Hub;
import dev.herald.core.testing.FakeSession;
import dev.herald.core.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScheduledAcrossRestartTest {
    @TempDir
    Path dataDir;

    @Test
    void sendsAScheduledNotificationThatFellDueWhileTheNodeWasDown() {
        MutableClock clock = MutableClock.at("2026-05-01T08:00:00Z");
        Instant due = clock.instant().plus(Duration.ofMinutes(10));
        String id;
        try (var store = SqliteNotificationStore.open(dataDir, 2)) {
            Hub hub = new Hub(new MemoryBroker());
            hub.start();
            var service = new NotificationPipeline(store, new LiveNotifier(hub), clock, PipelineConfig.defaults());
            id = service.create(CreateNotification.to("amy", "reminder", "Stand-up", "in 5 minutes").withSchedule(due, null))
                    .ids().getFirst();
        }
        clock.set(due.plus(Duration.ofMinutes(1)));

        try (var store = SqliteNotificationStore.open(dataDir, 2)) {
            Hub hub = new Hub(new MemoryBroker());
            hub.start();
            FakeSession tab = FakeSession.of("amy", null);
            hub.join(tab, LiveNotifier.userRoom("amy"));
            try (var service = new NotificationPipeline(store, new LiveNotifier(hub), clock, PipelineConfig.defaults())) {
                service.start();

                await().atMost(Duration.ofSeconds(10)).until(() -> !tab.sent(LiveNotifier.NOTIFICATION).isEmpty());
                assertThat(tab.sent(LiveNotifier.NOTIFICATION).getFirst().json()).contains(id);
            }
        }
    }
}
