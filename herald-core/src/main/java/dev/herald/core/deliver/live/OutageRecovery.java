package dev.herald.core.deliver.live;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.Json;
import dev.herald.core.inbox.InboxService;
import dev.herald.core.inbox.SyncCursor;
import dev.herald.core.inbox.SyncPage;
import dev.herald.core.notification.Notification;
import dev.herald.core.notification.NotificationPayload;
import dev.herald.core.route.Hub;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives this node's sessions what a broker outage kept from them. While the broker is down, the
 * live {@code notification} events of durable notifications are lost (the notifications themselves
 * are stored); when it returns, every user with a session here gets the notifications stored since
 * a little before the outage began, each as a {@code notification} event, oldest first, on every
 * local session. Clients dedupe by id, so one they already had does no harm.
 *
 * <p>At most {@link #MAX_PUSHED} per user: when there are more, the pushed ones are followed by a
 * {@code notifications:sync} event whose data ({@code {afterId}}) is the request that fetches
 * the rest, so a long outage never turns into an unbounded burst.
 *
 * <p>Why a margin before the outage: a notification is stored first and announced after its
 * transaction commits, so one stored up to {@link #MARGIN} before the broker noticed the outage
 * may have been announced into it.
 *
 * <p>Sessions that connected during the outage are covered too: they were greeted without waiting
 * for their subscriptions (see {@link HeraldSessionHandler}), and recovery reads every local
 * user's inbox once the user's room is subscribed again.
 *
 * <p>Threading: {@link #linkUp} runs on the broker's thread and only hands the work to
 * {@code executor} (virtual threads: the work blocks on the store).
 */
public final class OutageRecovery implements Hub.LinkObserver {
    public static final Duration MARGIN = Duration.ofSeconds(5);
    public static final int MAX_PUSHED = 100;
    public static final String SYNC_HINT = "notifications:sync";
    private static final Logger log = LoggerFactory.getLogger(OutageRecovery.class);

    private final Hub hub;
    private final HeraldSessionHandler sessions;
    private final InboxService inbox;
    private final Executor executor;

    public OutageRecovery(Hub hub, HeraldSessionHandler sessions, InboxService inbox, Executor executor) {
        this.hub = Objects.requireNonNull(hub, "hub");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.inbox = Objects.requireNonNull(inbox, "inbox");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    /** Starts watching the hub's broker link. */
    public OutageRecovery watch() {
        hub.onLinkChange(this);
        return this;
    }

    @Override
    public void linkDown(Instant since) {}

    @Override
    public void linkUp(Instant downSince) {
        executor.execute(() -> recover(downSince));
    }

    /** Pushes to every local session what was stored for its user since {@code downSince} minus the margin; returns how many users. */
    public int recover(Instant downSince) {
        SyncCursor cursor = SyncCursor.since(downSince.minus(MARGIN));
        Set<String> localUsers = sessions.localUsers();
        awaitSubscriptions(localUsers);
        int users = 0, pushed = 0, failed = 0;
        for (String userId : localUsers) {
            List<Session> local = hub.localMembers(LiveNotifier.userRoom(userId));
            if (local.isEmpty()) continue;
            try {
                pushed += push(local, inbox.sync(userId, cursor, MAX_PUSHED));
                users++;
            } catch (RuntimeException e) {
                failed++;
                if (failed == 1) log.warn("could not catch up a user after the broker outage: {}", e.toString());
            }
        }
        log.info("broker outage since {} recovered: {} notification(s) pushed to {} user(s) on this node{}", downSince, pushed, users,
                failed == 0 ? "" : ", " + failed + " user(s) failed (they catch up on their next sync)");
        return users;
    }

    /**
     * A session that joined during the outage may have its room subscribed a moment after the link
     * is reported up (Redis sends subscriptions queued meanwhile after re-subscribing the old ones):
     * read the inbox only once they are confirmed, so what is stored later arrives live.
     */
    private void awaitSubscriptions(Set<String> users) {
        try {
            hub.subscribed(users.stream().map(LiveNotifier::userRoom).toList()).toCompletableFuture()
                    .get(HeraldSessionHandler.DEFAULT_SUBSCRIPTION_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            log.warn("recovering the broker outage without every user room confirmed: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int push(List<Session> local, SyncPage page) {
        for (Notification n : page.items()) {
            OutboundEvent event = new OutboundEvent(LiveNotifier.NOTIFICATION, NotificationPayload.toJson(n));
            for (Session s : local) s.send(event);
        }
        if (page.hasMore()) {
            ObjectNode hint = Json.object().put("afterId", page.items().getLast().id());
            OutboundEvent event = new OutboundEvent(SYNC_HINT, Json.write(hint));
            for (Session s : local) s.send(event);
        }
        return page.items().size();
    }
}
