package dev.herald.core.notification;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One row of the delivery log: what one send attempt of a delivery did.
 *
 * @param attempt 1 for the first try
 * @param outcome {@code SENT}, {@code PENDING} (to be retried), {@code FAILED}, {@code DEAD},
 *     {@code SKIPPED} or {@code EXPIRED}
 * @param provider who was called ({@code webhook}, {@code smtp}, {@code fcm}...)
 * @param error the provider's answer or the reason, null when it went through; never a secret or a body
 * @param providerId the provider's message id of a sent message (an email's Message-ID, a Twilio sid), else null
 * @param detail what else there is to know about the send (an SMS's {@code encoding=gsm7 length=170 segments=2}), else null
 */
public record DeliveryAttempt(String deliveryId, Delivery.Target target, int attempt, DeliveryStatus outcome,
                              String provider, Duration latency, String error, Instant at, String providerId,
                              String detail) {
    /** An attempt with no provider id and no detail. */
    public DeliveryAttempt(String deliveryId, Delivery.Target target, int attempt, DeliveryStatus outcome, String provider,
                           Duration latency, String error, Instant at) {
        this(deliveryId, target, attempt, outcome, provider, latency, error, at, null, null);
    }

    public DeliveryAttempt {
        Objects.requireNonNull(deliveryId, "deliveryId");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(at, "at");
        latency = latency == null ? Duration.ZERO : latency;
    }
}
