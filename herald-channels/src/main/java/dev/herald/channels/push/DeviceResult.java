package dev.herald.channels.push;

import java.time.Duration;
import java.util.Objects;

/**
 * What a push provider answered for one device. Like core's {@code SendResult}, plus {@link Gone}:
 * the provider says the device no longer exists (FCM {@code UNREGISTERED}, APNs 410, Web Push
 * 404/410), so {@link PushSender} removes it. Reasons are short and safe to log: a status, a
 * provider's error code, never a token or a body.
 */
public sealed interface DeviceResult {
    /** Accepted; {@code providerId} is the provider's message id (FCM's name, APNs' apns-id, Web Push's Location), may be null. */
    record Sent(String providerId) implements DeviceResult {}

    /** Not now (429, 5xx, a timeout); {@code retryAfter} is the provider's hint, null when none. */
    record Retry(String reason, Duration retryAfter) implements DeviceResult {
        public Retry {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Never for this message (a payload the provider refuses, bad credentials). */
    record Failed(String reason) implements DeviceResult {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The device is gone for good: its registration is removed. */
    record Gone(String reason) implements DeviceResult {
        public Gone {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
