package dev.herald.core.pipeline;

import dev.herald.core.notification.Channel;

/**
 * What the pipeline tells metrics (herald-server's HeraldMetrics implements it). Called on the
 * creating thread after the transaction committed; implementations must be cheap and never throw.
 */
public interface PipelineObserver {
    PipelineObserver NONE = new PipelineObserver() {};

    /** {@code count} notifications of {@code type} were accepted (one per recipient). */
    default void created(String type, int count) {}

    /** A delivery was skipped at create (a preference switch, no address). */
    default void skipped(Channel channel, String reason) {}

    /** A delivery was held at create (quiet hours, digest). */
    default void held(Channel channel, String reason) {}
}
