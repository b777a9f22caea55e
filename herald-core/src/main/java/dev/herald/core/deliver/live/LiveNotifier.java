package dev.herald.core.deliver.live;

import dev.herald.core.route.Hub;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells every live session of a user, on every node, about their notifications: the
 * {@code notification} event and the {@code notificationStatus} changes. It goes through the
 * {@link Hub}, hence the broker.
 *
 * <p>Best effort by design: the store is the truth, so an emit that fails is logged and the client
 * catches up through {@code notifications:pending} or sync. Threading: thread-safe, never blocks.
 */
public final class LiveNotifier {
    public static final String NOTIFICATION = "notification";
    public static final String NOTIFICATION_STATUS = "notificationStatus";
    private static final Logger log = LoggerFactory.getLogger(LiveNotifier.class);

    private final Hub hub;

    public LiveNotifier(Hub hub) {
        this.hub = Objects.requireNonNull(hub, "hub");
    }

    /** The room every session of the user joins on connect. */
    public static String userRoom(String userId) {
        return "user:" + userId;
    }

    /** Emits {@code event} with the JSON body to every session of the user. */
    public void emit(String userId, String event, String json) {
        try {
            hub.emit(userRoom(userId), event, json, Set.of()).whenComplete((ok, error) -> {
                if (error != null) log.warn("live {} to a user failed; the client will catch up on sync", event, error);
            });
        } catch (RuntimeException e) {
            log.warn("live {} to a user failed; the client will catch up on sync", event, e);
        }
    }
}
