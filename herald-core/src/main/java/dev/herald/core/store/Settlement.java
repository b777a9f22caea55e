package dev.herald.core.store;

import dev.herald.core.notification.Delivery;
import dev.herald.core.notification.DeliveryAttempt;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of one claimed outbox row, as {@link OutboxStore#settle} writes it: the row's new
 * state, guarded by the lease it was claimed with, and the delivery-log row of the attempt.
 *
 * @param claimed the row as its claim returned it: its id, and the lease ({@code claimedUntil}) the
 *     settle is guarded by
 * @param state what replaces the row's state (its lease is cleared whatever this says)
 * @param attempt the delivery-log row written with the settle, or null for none (a claim given
 *     back unsent: nothing was attempted)
 * @param parts delivery-log rows of the attempt's parts (a push's devices), written with the settle
 *     and before {@code attempt}, or not at all when the settle is refused; empty for most sends
 */
public record Settlement(Delivery claimed, Delivery.State state, DeliveryAttempt attempt, List<DeliveryAttempt> parts) {
    public Settlement {
        Objects.requireNonNull(claimed, "claimed");
        Objects.requireNonNull(state, "state");
        parts = List.copyOf(parts);
        if (attempt != null && !attempt.deliveryId().equals(claimed.id())) {
            throw new IllegalArgumentException("attempt of " + attempt.deliveryId() + " settles " + claimed.id());
        }
        for (DeliveryAttempt p : parts) {
            if (!p.deliveryId().equals(claimed.id())) {
                throw new IllegalArgumentException("part of " + p.deliveryId() + " settles " + claimed.id());
            }
        }
    }

    /** A settle with its attempt's row and no parts: what every send but a push's writes. */
    public Settlement(Delivery claimed, Delivery.State state, DeliveryAttempt attempt) {
        this(claimed, state, attempt, List.of());
    }

    /** The delivery-log rows the settle writes, in order: the parts, then the attempt. */
    public List<DeliveryAttempt> rows() {
        if (attempt == null) return parts;
        if (parts.isEmpty()) return List.of(attempt);
        List<DeliveryAttempt> rows = new ArrayList<>(parts.size() + 1);
        rows.addAll(parts);
        rows.add(attempt);
        return rows;
    }

    /** A claimed row handed back as it was, unsent, so the next claim (any node's) takes it at once. */
    public static Settlement giveBack(Delivery claimed, Instant now) {
        Delivery.State s = claimed.state();
        return new Settlement(claimed, new Delivery.State(s.status(), s.reason(), s.attempts(), s.dueAt(), null, now), null);
    }

    public String deliveryId() {
        return claimed.id();
    }

    /** The lease the row was claimed with, which the store compares with its own. */
    public Instant lease() {
        return claimed.state().claimedUntil();
    }
}
