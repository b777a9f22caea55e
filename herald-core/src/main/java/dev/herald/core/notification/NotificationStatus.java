package dev.herald.core.notification;

import java.util.Locale;

/**
 * Where a notification is in its life. {@code SCHEDULED} rows are held until their time;
 * {@code PENDING} ones are in the inbox but no client acknowledged them yet; {@code DELIVERED} after
 * a client's ack; {@code READ} once read on any device. Status only moves forward.
 */
public enum NotificationStatus {
    SCHEDULED, PENDING, DELIVERED, READ;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static NotificationStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
