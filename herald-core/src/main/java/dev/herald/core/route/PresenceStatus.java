package dev.herald.core.route;

import java.util.Locale;
import java.util.Optional;

/** What a user says of themselves through {@code presence:update}. */
public enum PresenceStatus {
    ONLINE, AWAY, BUSY, OFFLINE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<PresenceStatus> parse(String s) {
        if (s == null) return Optional.empty();
        for (PresenceStatus p : values()) if (p.wireName().equals(s.trim().toLowerCase(Locale.ROOT))) return Optional.of(p);
        return Optional.empty();
    }
}
