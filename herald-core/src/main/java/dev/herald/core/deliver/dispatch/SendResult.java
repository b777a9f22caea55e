package dev.herald.core.deliver.dispatch;

import dev.herald.core.notification.DeliveryStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a provider answered to one send. Reasons are short and safe to log (a status, a code).
 *
 * <p>A send made of several sends of its own (a push: one per device of the user) says what each
 * did in {@link #parts}: the dispatcher writes one delivery-log row per part, before the
 * delivery's own row, in the transaction that settles the delivery and under the same lease, so
 * a settle refused for a lost lease writes none of them. Every other sender has none.
 */
public sealed interface SendResult {
    /** The parts of the send, each one delivery-log row of the delivery's attempt; empty for most senders. */
    List<Part> parts();

    /**
     * One part of a send as its delivery-log row tells it; the row's delivery, target and attempt
     * are the message's.
     *
     * @param provider who took this part, e.g. {@code fcm/<device id>}
     * @param outcome {@code SENT}, {@code PENDING} (asked to come back) or {@code FAILED}
     * @param error the provider's answer, null when it went through; never a secret or a body
     * @param at when the part was answered
     */
    record Part(String provider, DeliveryStatus outcome, Duration latency, String error, Instant at) {
        public Part {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * Accepted by the provider; {@code providerId} is its message id when it gave one (may be null),
     * {@code detail} what else the delivery log should show about the send (an SMS's encoding and
     * segments), null when nothing.
     */
    record Sent(String providerId, String detail, List<Part> parts) implements SendResult {
        public Sent {
            parts = List.copyOf(parts);
        }

        public Sent(String providerId, String detail) {
            this(providerId, detail, List.of());
        }

        public Sent(String providerId) {
            this(providerId, null);
        }
    }

    /**
     * Not now: a timeout, a 5xx, a 429. {@code retryAfter} is the provider's own hint (a
     * {@code Retry-After}), null when it gave none; the dispatcher uses the larger of it and its backoff.
     */
    record Retry(String reason, Duration retryAfter, List<Part> parts) implements SendResult {
        public Retry {
            Objects.requireNonNull(reason, "reason");
            parts = List.copyOf(parts);
        }

        public Retry(String reason, Duration retryAfter) {
            this(reason, retryAfter, List.of());
        }
    }

    /** Never: a bad address, a 4xx other than 429, an unknown device. No retry. */
    record Failed(String reason, List<Part> parts) implements SendResult {
        public Failed {
            Objects.requireNonNull(reason, "reason");
            parts = List.copyOf(parts);
        }

        public Failed(String reason) {
            this(reason, List.of());
        }
    }
}
