package dev.herald.core.notification;

import java.util.Locale;

/**
 * Where one delivery (a notification, to one recipient, on one channel) stands. {@code PENDING} and
 * {@code HELD} wait in the outbox (held: for quiet hours, a digest or a rate limit, with the reason
 * beside it); the others are final but for {@code DEAD} and {@code FAILED}, which an operator may
 * replay. {@code DELIVERED} and {@code READ} come from receipts (a socket's ack, a read).
 */
public enum DeliveryStatus {
    PENDING, HELD, SENT, DELIVERED, READ, SKIPPED, FAILED, DEAD, EXPIRED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status named {@code name} in lower case, or null when there is none such. */
    public static DeliveryStatus fromWire(String name) {
        for (DeliveryStatus s : values()) if (s.wire().equals(name)) return s;
        return null;
    }

    /** Still in the outbox, to be claimed when due. */
    public boolean waiting() {
        return this == PENDING || this == HELD;
    }
}
