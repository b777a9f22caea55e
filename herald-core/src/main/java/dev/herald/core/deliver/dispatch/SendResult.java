package dev.herald.core.deliver.dispatch;

import java.time.Duration;
import java.util.Objects;

/** What a provider answered to one send. Reasons are short and safe to log (a status, a code). */
public sealed interface SendResult {
    /**
     * Accepted by the provider; {@code providerId} is its message id when it gave one (may be null),
     * {@code detail} what else the delivery log should show about the send (an SMS's encoding and
     * segments), null when nothing.
     */
    record Sent(String providerId, String detail) implements SendResult {
        public Sent(String providerId) {
            this(providerId, null);
        }
    }

    /**
     * Not now: a timeout, a 5xx, a 429. {@code retryAfter} is the provider's own hint (a
     * {@code Retry-After}), null when it gave none; the dispatcher uses the larger of it and its backoff.
     */
    record Retry(String reason, Duration retryAfter) implements SendResult {
        public Retry {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Never: a bad address, a 4xx other than 429, an unknown device. No retry. */
    record Failed(String reason) implements SendResult {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
