package dev.herald.core.notification;

import java.time.Instant;
import java.util.Objects;

/**
 * One outbox row: a notification to deliver to one recipient on one out-of-app channel, written in
 * the notification's own transaction and worked by the dispatcher until it is final.
 *
 * @param id a UUIDv7 made by core, so rows sort by creation
 * @param payload the message as JSON text: the notification in the client shape plus what the
 *     channel renders from ({@code template}, {@code variables}, {@code locale}); the dispatcher
 *     never needs the inbox row, which an in-app switch-off may not have written
 */
public record Delivery(String id, Target target, State state, String payload, Instant createdAt) {
    public Delivery {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** Why a delivery exists: the request's channels, a fallback when offline, or an escalation when unread. */
    public enum Kind { STANDARD, FALLBACK, ESCALATION }

    /**
     * What is delivered to whom: never changes.
     *
     * @param digestKey the digest window this row waits for (e.g. {@code daily:2026-03-10T08:00:00Z}),
     *     null when it is sent alone
     */
    public record Target(String notificationId, String recipientId, String type, Channel channel, Priority priority,
                         Kind kind, String digestKey) {
        public Target {
            Objects.requireNonNull(notificationId, "notificationId");
            Objects.requireNonNull(recipientId, "recipientId");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(priority, "priority");
            Objects.requireNonNull(kind, "kind");
        }
    }

    /**
     * Where it stands.
     *
     * @param reason why it is held, skipped, failed or dead (the last error), null otherwise
     * @param attempts send attempts made so far
     * @param dueAt when it may next be sent
     * @param claimedUntil a dispatcher's lease, null when unclaimed; a lapsed lease (the node died)
     *     makes the row claimable again
     */
    public record State(DeliveryStatus status, String reason, int attempts, Instant dueAt, Instant claimedUntil,
                        Instant updatedAt) {
        public State {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(dueAt, "dueAt");
            Objects.requireNonNull(updatedAt, "updatedAt");
            if (attempts < 0) throw new IllegalArgumentException("attempts must not be negative");
        }
    }

    public DeliveryStatus status() {
        return state.status();
    }

    public Delivery with(State newState) {
        return new Delivery(id, target, newState, payload, createdAt);
    }
}
