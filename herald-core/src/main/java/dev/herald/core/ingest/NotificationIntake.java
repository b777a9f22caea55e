package dev.herald.core.ingest;

import dev.herald.core.notification.CreateNotification;
import dev.herald.core.notification.Created;

/**
 * The one door into the pipeline for durable notifications: REST, gRPC, Redis
 * {@code notifications:send}, NATS JetStream and event rules all call it, so validation,
 * idempotency and preferences apply the same whatever the source. Implemented by
 * {@link dev.herald.core.pipeline.NotificationPipeline}.
 *
 * <p>Guarantee: when it returns, the notifications and their outbox rows are durable; live
 * delivery and channel dispatch follow. Threading: thread-safe and blocking (the store): call it
 * from a virtual thread, never from a network event loop.
 */
public interface NotificationIntake {
    /**
     * Creates one notification per recipient. With an idempotency key, a retry within the window
     * gets the first answer and nothing new is written or sent; the same key with a different
     * request is refused with {@code CONFLICT}.
     *
     * @throws dev.herald.core.HeraldException {@code INVALID_ARGUMENT} naming the bad field,
     *     {@code CONFLICT} for a reused key
     */
    Created create(CreateNotification request);
}
