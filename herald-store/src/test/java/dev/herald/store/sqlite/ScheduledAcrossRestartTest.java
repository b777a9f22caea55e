package dev.herald.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.core.hub.Hub;
import dev.herald.core.inbox.CreateNotification;
import dev.herald.core.inbox.InboxConfig;
import dev.herald.core.testing.MutableClock;
import dev.herald.core.inbox.NotificationService;
import dev.herald.core.memory.MemoryBroker;
import dev.herald.core.testing.FakeSession;
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
            var service = new NotificationService(store, hub, clock, InboxConfig.defaults());
            id = service.create(CreateNotification.to("amy", "reminder", "Stand-up", "in 5 minutes").withSchedule(due, null))
                    .ids().getFirst();
        }
        clock.set(due.plus(Duration.ofMinutes(1)));

        try (var store = SqliteNotificationStore.open(dataDir, 2)) {
            Hub hub = new Hub(new MemoryBroker());
            hub.start();
            FakeSession tab = FakeSession.of("amy", null);
            hub.join(tab, NotificationService.userRoom("amy"));
            try (var service = new NotificationService(store, hub, clock, InboxConfig.defaults())) {
                service.start();

                await().atMost(Duration.ofSeconds(10)).until(() -> !tab.sent(NotificationService.NOTIFICATION).isEmpty());
                assertThat(tab.sent(NotificationService.NOTIFICATION).getFirst().json()).contains(id);
            }
        }
    }
}
