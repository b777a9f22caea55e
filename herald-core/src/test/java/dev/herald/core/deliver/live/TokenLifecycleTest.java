package dev.herald.core.deliver.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.Json;
import dev.herald.core.auth.Principal;
import dev.herald.core.memory.MemoryBroker;
import dev.herald.core.memory.MemoryPresenceRegistry;
import dev.herald.core.route.Hub;
import dev.herald.core.route.RoomRules;
import dev.herald.core.testing.FakeSession;
import dev.herald.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TokenLifecycleTest {
    private final MutableClock clock = MutableClock.at("2026-11-24T10:00:00Z");
    private final Hub hub = new Hub(new MemoryBroker());
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final HeraldSessionHandler handler = new HeraldSessionHandler("node-1", hub, new MemoryPresenceRegistry(),
            new RoomRules(null), new ClientLimits(100, 5), clock, ConnectionObserver.NONE);
    private final Map<String, Principal> tokens = new java.util.concurrent.ConcurrentHashMap<>();
    private final TokenLifecycle lifecycle = new TokenLifecycle(token -> {
        Principal p = tokens.get(token);
        if (p == null) throw new HeraldException(ErrorCode.INVALID_TOKEN, "unknown token");
        return p;
    }, clock, timer, Duration.ofMillis(100));

    TokenLifecycleTest() {
        hub.start();
        lifecycle.registerOn(handler);
    }

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    private Principal alice(Duration lifetime) {
        return new Principal("alice", "t1", Set.of(), Set.of(), null, clock.instant().plus(lifetime));
    }

    private FakeSession connect(Principal p) {
        FakeSession s = new FakeSession(p);
        handler.open(s);
        handler.ready(s);
        return s;
    }

    private JsonNode ask(FakeSession s, String event, String data) {
        AtomicReference<String> answer = new AtomicReference<>();
        handler.event(s, new ClientEvent(event, Json.parse(data, "test"), answer::set));
        return Json.parse(answer.get(), "test");
    }

    /** Waits until every task the timer held when called (due within {@code after}) has run. */
    private void letTimersRun(Duration after) throws Exception {
        timer.schedule(() -> { }, after.toMillis(), TimeUnit.MILLISECONDS).get(5, TimeUnit.SECONDS);
    }

    @Test
    void aSessionIsWarnedBeforeItsTokenExpiresThenToldTokenExpiredAndClosed() {
        FakeSession s = connect(alice(Duration.ofMillis(300)));

        await().atMost(Duration.ofSeconds(5)).until(() -> !s.sent(TokenLifecycle.EXPIRING).isEmpty());
        JsonNode notice = Json.parse(s.sent(TokenLifecycle.EXPIRING).getFirst().json(), "test");
        assertThat(notice.get("expiresAt").asText()).isEqualTo(clock.instant().plusMillis(300).toString());
        assertThat(s.isOpen()).isTrue();

        clock.advance(Duration.ofMillis(300));
        await().atMost(Duration.ofSeconds(5)).until(() -> s.closedWith() != null);
        assertThat(s.closedWith()).isEqualTo(DisconnectReason.TOKEN_EXPIRED);
        assertThat(s.closedWith().errorCode()).isEqualTo("TOKEN_EXPIRED");
        assertThat(s.closedWith().message()).isEqualTo("Token expired");
    }

    @Test
    void aTimerThatFiresBeforeTheClockReachesExpiryWaitsAgain() throws Exception {
        FakeSession s = connect(alice(Duration.ofMillis(50)));

        letTimersRun(Duration.ofMillis(200));

        assertThat(s.isOpen()).as("the clock has not reached exp").isTrue();
        clock.advance(Duration.ofSeconds(1));
        await().atMost(Duration.ofSeconds(5)).until(() -> s.closedWith() != null);
    }

    @Test
    void aRefreshWithANewerTokenOfTheSameUserKeepsTheSessionPastTheOldExpiry() throws Exception {
        FakeSession s = connect(alice(Duration.ofMillis(200)));
        Principal later = alice(Duration.ofHours(1));
        tokens.put("fresh", later);

        JsonNode ack = ask(s, TokenLifecycle.REFRESH, "{\"token\":\"fresh\"}");

        assertThat(ack.get("ok").asBoolean()).isTrue();
        assertThat(Instant.parse(ack.get("expiresAt").asText())).isEqualTo(later.expiresAt());
        assertThat(s.principal()).isEqualTo(later);
        clock.advance(Duration.ofSeconds(1));
        letTimersRun(Duration.ofMillis(400));
        assertThat(s.isOpen()).isTrue();
        assertThat(lifecycle.watched()).isEqualTo(1);
    }

    @Test
    void aTokenOfAnotherUserIsRefusedWithForbiddenAndTheSessionKeepsItsOwn() {
        Principal own = alice(Duration.ofHours(1));
        FakeSession s = connect(own);
        tokens.put("bob", new Principal("bob", "t1", Set.of(), Set.of(), null, clock.instant().plusSeconds(7200)));

        JsonNode ack = ask(s, TokenLifecycle.REFRESH, "{\"token\":\"bob\"}");

        assertThat(ack.at("/error/code").asText()).isEqualTo("FORBIDDEN");
        assertThat(s.principal()).isEqualTo(own);
    }

    @Test
    void aBadTokenIsRefusedWithItsCodeAndAMissingOneWithInvalidArgument() {
        FakeSession s = connect(alice(Duration.ofHours(1)));

        assertThat(ask(s, TokenLifecycle.REFRESH, "{\"token\":\"forged\"}").at("/error/code").asText()).isEqualTo("INVALID_TOKEN");
        assertThat(ask(s, TokenLifecycle.REFRESH, "{}").at("/error/code").asText()).isEqualTo("INVALID_ARGUMENT");
        assertThat(s.isOpen()).isTrue();
    }

    @Test
    void aClosedSessionIsNoLongerTimedAndATokenWithoutExpIsNeverTimed() {
        FakeSession timed = connect(alice(Duration.ofHours(1)));
        connect(new Principal("carol", null, Set.of(), Set.of(), null, null));
        assertThat(lifecycle.watched()).isEqualTo(1);

        handler.closed(timed, DisconnectReason.CLIENT_CLOSED);

        assertThat(lifecycle.watched()).isZero();
    }
}
