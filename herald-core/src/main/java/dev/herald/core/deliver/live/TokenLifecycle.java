package dev.herald.core.deliver.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.Json;
import dev.herald.core.auth.Authenticator;
import dev.herald.core.auth.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A token's {@code exp} holds for the whole life of a connection (DESIGN §3, seed 003 §9, §14):
 * {@value #EXPIRING} reaches the client {@code notice} before it (at once when the token has less
 * left on connecting), and at {@code exp} the client gets {@code error {code:"TOKEN_EXPIRED",
 * message:"Token expired"}} and is disconnected. {@value #REFRESH} {@code {token}} (or the token as
 * a string) swaps the session's token for a newer one of the same user and team, acked with the new
 * {@code expiresAt}; a token of someone else is refused with {@code FORBIDDEN}, a bad one with its
 * authentication code, and either way the session keeps its current token.
 *
 * <p>Tokens without {@code exp} ({@code JWT_REQUIRE_EXP=false}) are never timed. Expiry is at
 * {@code exp} itself, without the clock skew admission allows: a token accepted within the skew
 * after its {@code exp} expires as soon as the session is greeted.
 *
 * <p>Threading: every session shares the one {@code timer} (a scheduled executor of one thread);
 * the timer thread only sends and closes, which {@link Session} allows from any thread. The times
 * come from the injected clock: a timer that fires early by that clock (it was adjusted) waits again
 * for what is left.
 */
public final class TokenLifecycle {
    public static final String REFRESH = "auth:refresh";
    public static final String EXPIRING = "token:expiring";
    public static final Duration DEFAULT_NOTICE = Duration.ofSeconds(60);

    private final Authenticator authenticator;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final Duration notice;
    private final Map<String, Watch> watches = new ConcurrentHashMap<>();

    public TokenLifecycle(Authenticator authenticator, Clock clock, ScheduledExecutorService timer, Duration notice) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timer = Objects.requireNonNull(timer, "timer");
        if (notice.isNegative()) throw new IllegalArgumentException("the expiry notice must not be negative");
        this.notice = notice;
    }

    /** Answers {@value #REFRESH} and times every greeted session; call before the gateway starts. */
    public void registerOn(HeraldSessionHandler handler) {
        handler.on(REFRESH, this::refresh);
        handler.onReady(session -> watch(session, session.principal().expiresAt()));
        handler.onClosed(session -> cancel(watches.remove(session.id())));
    }

    /** Sessions whose expiry is being timed (for tests and stats). */
    public int watched() {
        return watches.size();
    }

    private Object refresh(Session session, ClientEvent event) {
        JsonNode data = event.data();
        JsonNode token = data.isTextual() ? data : data.path("token");
        if (!token.isTextual() || token.asText().isBlank()) {
            throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "token is required (a string, or {token})");
        }
        Principal next = authenticator.authenticate(token.asText());
        Principal current = session.principal();
        // Rooms were joined for this user and team: a token for anyone else would inherit them.
        if (!next.userId().equals(current.userId()) || !Objects.equals(next.teamId(), current.teamId())) {
            throw new HeraldException(ErrorCode.FORBIDDEN, "a refreshed token must name the same user and team");
        }
        session.replacePrincipal(next);
        watch(session, next.expiresAt());
        ObjectNode out = Json.object();
        if (next.expiresAt() == null) out.putNull("expiresAt");
        else out.put("expiresAt", next.expiresAt().toString());
        return out;
    }

    private void watch(Session session, Instant expiresAt) {
        Watch next = expiresAt == null ? null : new Watch(session, expiresAt);
        cancel(next == null ? watches.remove(session.id()) : watches.put(session.id(), next));
        // No race with closed(): ready, events and closed of one session are serial (SessionHandler), and
        // the session may not look open yet here (the CONNECT reply is still on its way).
        if (next != null) next.arm();
    }

    private static void cancel(Watch watch) {
        if (watch != null) watch.cancel();
    }

    /**
     * The timer of one token of one session: the notice, then the expiry; a refresh replaces the
     * whole watch. One task is pending at a time, the expiry scheduled when the notice has gone: a
     * second pending task per session would cost ~130 bytes on every idle connection
     * (bench/RESULTS.md, heap per connection).
     */
    private final class Watch implements Runnable {
        private final Session session;
        private final Instant expiresAt;
        private ScheduledFuture<?> task;
        private boolean noticeSent;
        private boolean cancelled;

        Watch(Session session, Instant expiresAt) {
            this.session = session;
            this.expiresAt = expiresAt;
        }

        synchronized void arm() {
            if (cancelled) return;
            Duration untilNotice = Duration.between(clock.instant(), expiresAt.minus(notice));
            task = timer.schedule(this, Math.max(0, untilNotice.toMillis()), TimeUnit.MILLISECONDS);
        }

        @Override
        public void run() {
            boolean expiring;
            synchronized (this) {
                if (cancelled) return;
                expiring = noticeSent;
            }
            if (expiring) expire();
            else notifyClient();
        }

        private void scheduleExpiry() {
            long left = Duration.between(clock.instant(), expiresAt).toMillis();
            task = timer.schedule(this, Math.max(0, left), TimeUnit.MILLISECONDS);
        }

        private void notifyClient() {
            long left = Math.max(0, Duration.between(clock.instant(), expiresAt).toSeconds());
            ObjectNode data = Json.object().put("expiresAt", expiresAt.toString()).put("expiresIn", left);
            session.send(new OutboundEvent(EXPIRING, Json.write(data)));
            synchronized (this) {
                noticeSent = true;
                if (!cancelled) scheduleExpiry();
            }
        }

        private void expire() {
            synchronized (this) {
                if (cancelled) return;
                if (clock.instant().isBefore(expiresAt)) {
                    scheduleExpiry();
                    return;
                }
                cancelled = true;
            }
            watches.remove(session.id(), this);
            session.close(DisconnectReason.TOKEN_EXPIRED);
        }

        synchronized void cancel() {
            cancelled = true;
            if (task != null) task.cancel(false);
        }
    }
}
