package dev.herald.core.deliver.live;

import dev.herald.core.Json;
import dev.herald.core.route.Hub;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a team who came online and who went offline ({@code presence:user:online} and
 * {@code presence:user:offline}, the user's id as data, to every teammate but the user), gathered
 * over a window: each user's changes within it are reduced to the net one, so a user who connects
 * and leaves again within the window (a page reload, a client that reconnects at once, a
 * handshake storm) costs the team nothing, and what is left goes out together at the window's end.
 * Every notice is one frame per teammate, which made them most of a handshake's cost
 * (bench/RESULTS.md). With a zero window each change goes out at once.
 *
 * <p>A team hears notices only while it has at most {@code teamLimit} sockets on this node
 * (PRESENCE_TEAM_LIMIT, see {@link ClientLimits}); past it presence is asked for, not pushed.
 *
 * <p>Threading: thread-safe. The window's notices are emitted on {@code timer}'s thread (emits only
 * queue frames, so the timer is not held up).
 */
public final class PresenceNotices {
    public static final String ONLINE = "presence:user:online";
    public static final String OFFLINE = "presence:user:offline";
    private static final Logger log = LoggerFactory.getLogger(PresenceNotices.class);

    /** A user's first and last change in the window; they alternate, so equal ends mean a net change. */
    private record Changes(boolean firstOnline, boolean lastOnline) {
    }

    private final Hub hub;
    private final Duration window;
    private final ScheduledExecutorService timer;
    private final IntPredicate announcedToTeamOf;
    private Map<String, Map<String, Changes>> pending = new HashMap<>(); // team → user → changes; guarded by this
    private boolean flushScheduled; // guarded by this

    /**
     * @param window how long changes are gathered; zero emits each at once (and {@code timer} may be null)
     * @param teamLimit the most sockets a team may have on this node and still hear notices
     */
    public PresenceNotices(Hub hub, Duration window, ScheduledExecutorService timer, int teamLimit) {
        if (window.isNegative()) throw new IllegalArgumentException("the presence notice window must not be negative");
        if (!window.isZero() && timer == null) throw new IllegalArgumentException("a presence notice window needs a timer");
        this.hub = hub;
        this.window = window;
        this.timer = timer;
        this.announcedToTeamOf = localSockets -> localSockets <= teamLimit;
    }

    /** Notices at once, with no window. */
    public static PresenceNotices immediate(Hub hub, int teamLimit) {
        return new PresenceNotices(hub, Duration.ZERO, null, teamLimit);
    }

    public void online(String teamId, String userId) {
        changed(teamId, userId, true);
    }

    public void offline(String teamId, String userId) {
        changed(teamId, userId, false);
    }

    private void changed(String teamId, String userId, boolean online) {
        if (teamId == null) return;
        if (window.isZero()) {
            announce(teamId, userId, online);
            return;
        }
        synchronized (this) {
            pending.computeIfAbsent(teamId, t -> new HashMap<>())
                    .merge(userId, new Changes(online, online), (before, now) -> new Changes(before.firstOnline(), online));
            if (flushScheduled) return;
            flushScheduled = true;
        }
        try {
            timer.schedule(this::flush, window.toNanos(), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // The node is shutting down: its sessions are closing anyway, nobody is left to tell.
        }
    }

    /** Emits the net changes gathered so far; the timer calls it at each window's end. */
    public void flush() {
        Map<String, Map<String, Changes>> due;
        synchronized (this) {
            due = pending;
            pending = new HashMap<>();
            flushScheduled = false;
        }
        due.forEach((teamId, users) -> users.forEach((userId, changes) -> {
            if (changes.firstOnline() == changes.lastOnline()) announce(teamId, userId, changes.lastOnline());
        }));
    }

    private void announce(String teamId, String userId, boolean online) {
        String room = "team:" + teamId;
        if (!announcedToTeamOf.test(hub.localMemberCount(room))) return;
        try {
            hub.emit(room, online ? ONLINE : OFFLINE, Json.write(userId), Set.of(userId));
        } catch (RuntimeException e) {
            log.warn("could not announce presence to {}", room, e);
        }
    }
}
