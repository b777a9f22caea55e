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
 */
public record LiveEventsConfig(int maxPayloadBytes, int maxUsersPerCall, Duration publishTimeout) {
    public static final LiveEventsConfig DEFAULTS = new LiveEventsConfig(1_000_000, 10_000, Duration.ofSeconds(5));

    public LiveEventsConfig {
        if (maxPayloadBytes < 1) throw new IllegalArgumentException("REALTIME_MAX_PAYLOAD_BYTES must be positive");
        if (maxUsersPerCall < 1) throw new IllegalArgumentException("REALTIME_MAX_USERS_PER_CALL must be positive");
        if (publishTimeout == null || publishTimeout.isNegative() || publishTimeout.isZero()) {
            throw new IllegalArgumentException("REALTIME_PUBLISH_TIMEOUT_SECONDS must be positive");
        }
    }
}
