package dev.herald.core.deliver.dispatch;

import dev.herald.core.notification.Channel;
import java.time.Duration;

/**
 * What the dispatcher tells metrics (herald-server's HeraldMetrics implements it), on the sending
 * virtual thread; implementations must be cheap and never throw.
 */
public interface DispatchObserver {
    DispatchObserver NONE = new DispatchObserver() {};

    /** A sender's call is about to start; {@link #sendEnded} follows it whatever the outcome. */
    default void sendStarted(Channel channel) {}

    /** A sender's call returned (or threw) after {@code took}. */
    default void sendEnded(Channel channel, Duration took) {}

    default void sent(Channel channel, Duration latency) {}

    default void retried(Channel channel, String reason) {}

    default void failed(Channel channel, String reason) {}

    default void dead(Channel channel, String reason) {}

    /** Held for the next window: its recipient reached the channel's rate limit. */
    default void rateLimited(Channel channel) {}

    /** Settled without a send: skipped at dispatch (online, read) or expired. */
    default void settledUnsent(Channel channel, String status) {}
}
