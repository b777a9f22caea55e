package dev.herald.core.deliver.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.memory.MemoryBroker;
import dev.herald.core.route.Hub;
import dev.herald.core.testing.FakeSession;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PresenceNoticesTest {
    private final Hub hub = new Hub(new MemoryBroker());
    // A window far longer than any test: nothing flushes unless the test says so.
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final PresenceNotices notices = new PresenceNotices(hub, Duration.ofHours(1), timer, 2);
    private final FakeSession watcher = FakeSession.of("carol", "t");

    PresenceNoticesTest() {
        hub.start();
        hub.join(watcher, "team:t");
    }

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    @Test
    void holdsChangesUntilTheWindowEnds() {
        notices.online("t", "dave");

        assertThat(watcher.sent()).isEmpty();
        notices.flush();
        assertThat(watcher.sent(PresenceNotices.ONLINE)).extracting(OutboundEvent::json).containsExactly("\"dave\"");
    }

    @Test
    void saysNothingOfAUserWhoCameAndWentWithinOneWindow() {
        notices.online("t", "dave");
        notices.offline("t", "dave");
        notices.online("t", "erin");

        notices.flush();

        assertThat(watcher.sentNames()).containsExactly(PresenceNotices.ONLINE);
        assertThat(watcher.sent(PresenceNotices.ONLINE)).extracting(OutboundEvent::json).containsExactly("\"erin\"");
    }

    @Test
    void tellsTheNetChangeOfAUserWhoLeftAndCameBack() {
        notices.offline("t", "dave");
        notices.online("t", "dave");
        notices.offline("t", "dave");

        notices.flush();

        assertThat(watcher.sent(PresenceNotices.OFFLINE)).extracting(OutboundEvent::json).containsExactly("\"dave\"");
        assertThat(watcher.sent(PresenceNotices.ONLINE)).isEmpty();
    }

    @Test
    void startsAFreshWindowAfterEachFlush() {
        notices.online("t", "dave");
        notices.flush();
        notices.offline("t", "dave");
        notices.flush();

        assertThat(watcher.sentNames()).containsExactly(PresenceNotices.ONLINE, PresenceNotices.OFFLINE);
    }

    @Test
    void neverTellsTheUserAboutThemselves() {
        notices.online("t", "carol");

        notices.flush();

        assertThat(watcher.sent()).isEmpty();
    }

    @Test
    void tellsATeamOverTheLimitNothing() {
        hub.join(FakeSession.of("x", "t"), "team:t");
        hub.join(FakeSession.of("y", "t"), "team:t");
        notices.online("t", "dave");

        notices.flush();

        assertThat(watcher.sent()).isEmpty();
    }

    @Test
    void announcesAtOnceWithAZeroWindow() {
        PresenceNotices immediate = PresenceNotices.immediate(hub, 500);

        immediate.online("t", "dave");

        assertThat(watcher.sent(PresenceNotices.ONLINE)).extracting(OutboundEvent::json).containsExactly("\"dave\"");
    }

    @Test
    void flushesByItselfOnTheTimer() {
        PresenceNotices shortWindow = new PresenceNotices(hub, Duration.ofMillis(20), timer, 500);

        shortWindow.online("t", "dave");

        org.awaitility.Awaitility.await().until(() -> !watcher.sent(PresenceNotices.ONLINE).isEmpty());
    }

    @Test
    void dropsChangesQuietlyOnceTheTimerHasStopped() {
        timer.shutdownNow();

        notices.online("t", "dave");

        assertThat(watcher.sent()).isEmpty();
    }

    @Test
    void refusesAWindowWithoutATimer() {
        assertThatThrownBy(() -> new PresenceNotices(hub, Duration.ofSeconds(1), null, 500))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
