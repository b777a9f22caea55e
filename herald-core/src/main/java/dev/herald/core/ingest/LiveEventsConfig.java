package dev.herald.core.ingest;

import java.time.Duration;

/**
 * Limits of the server-side realtime API (gRPC NotificationsService and its REST mirror).
 *
 * @param maxPayloadBytes largest {@code payload_json} in UTF-8 bytes ({@code REALTIME_MAX_PAYLOAD_BYTES});
 *     1 MB by default, Socket.IO's own {@code maxHttpBufferSize}, so anything accepted fits a frame
 * @param maxUsersPerCall most user ids one SendToUsers may name ({@code REALTIME_MAX_USERS_PER_CALL})
 * @param publishTimeout how long to wait for the broker to take a message before answering
 *     {@code DELIVERY_FAILED} ({@code REALTIME_PUBLISH_TIMEOUT_SECONDS})
 * @param maxFanOutBacklog deliveries this node's event loops may hold unwritten before a real-time
 *     call is refused {@code OVERLOADED} ({@code REALTIME_MAX_FANOUT_BACKLOG}); 0 for no bound.
 *     5 000 by default: the bound that kept a saturating fan-out's p99 near 1 s on 2 cores
 *     (docs/decisions.md, "A bounded live fan-out")
 */
public record LiveEventsConfig(int maxPayloadBytes, int maxUsersPerCall, Duration publishTimeout, int maxFanOutBacklog) {
    public static final int DEFAULT_MAX_FANOUT_BACKLOG = 5_000;
    public static final LiveEventsConfig DEFAULTS = new LiveEventsConfig(1_000_000, 10_000, Duration.ofSeconds(5), DEFAULT_MAX_FANOUT_BACKLOG);

    /** With the default fan-out bound. */
    public LiveEventsConfig(int maxPayloadBytes, int maxUsersPerCall, Duration publishTimeout) {
        this(maxPayloadBytes, maxUsersPerCall, publishTimeout, DEFAULT_MAX_FANOUT_BACKLOG);
    }

    public LiveEventsConfig {
        if (maxFanOutBacklog < 0) throw new IllegalArgumentException("REALTIME_MAX_FANOUT_BACKLOG must be 0 (no bound) or positive");
        if (maxPayloadBytes < 1) throw new IllegalArgumentException("REALTIME_MAX_PAYLOAD_BYTES must be positive");
        if (maxUsersPerCall < 1) throw new IllegalArgumentException("REALTIME_MAX_USERS_PER_CALL must be positive");
        if (publishTimeout == null || publishTimeout.isNegative() || publishTimeout.isZero()) {
            throw new IllegalArgumentException("REALTIME_PUBLISH_TIMEOUT_SECONDS must be positive");
        }
    }
}
