package dev.herald.core.notification;

import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import java.util.Locale;

/** How urgent a notification is (seed 001); {@code urgent} bypasses quiet hours. */
public enum Priority {
    LOW, MEDIUM, HIGH, URGENT;

    /** The lower-case name clients and the database use. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name; {@code normal} is accepted as seed 003's name for {@code medium}. */
    public static Priority parse(String value) {
        if (value == null) throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "priority: required");
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("normal")) return MEDIUM;
        for (Priority p : values()) if (p.wireName().equals(v)) return p;
        throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "priority: must be one of low, medium, high, urgent");
    }
}
