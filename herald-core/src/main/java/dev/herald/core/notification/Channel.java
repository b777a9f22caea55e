package dev.herald.core.notification;

import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;

/**
 * A delivery channel: how a notification reaches a person (DESIGN §5). Not to be confused with a
 * notification's topic {@code channel} (seed 001: orders, messages, system), which is a label.
 * {@link #wire()} is the name in requests, preferences and responses.
 */
public enum Channel {
    IN_APP("inApp"),
    EMAIL("email"),
    PUSH("push"),
    SMS("sms"),
    WEBHOOK("webhook");

    private final String wire;

    Channel(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** The channel named {@code name} (its wire name, e.g. {@code inApp}); {@code field} names it in the refusal. */
    public static Channel parse(String field, String name) {
        for (Channel c : values()) if (c.wire.equals(name)) return c;
        throw new HeraldException(ErrorCode.INVALID_ARGUMENT,
                field + ": unknown channel '" + name + "' (inApp, email, push, sms, webhook)");
    }

    /** Out-of-app channels go through the outbox and the dispatcher; in-app is the inbox itself. */
    public boolean dispatched() {
        return this != IN_APP;
    }
}
