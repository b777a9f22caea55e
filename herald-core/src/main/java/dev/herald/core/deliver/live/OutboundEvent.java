package dev.herald.core.deliver.live;

import java.util.Objects;
import java.util.function.Function;

/**
 * One server-to-client event: a name and one JSON argument, already serialized. A broadcast builds
 * one instance for all its recipients, and each transport encodes it once through
 * {@link #encoded}, so fan-out to 10 000 sockets costs one encoding per protocol, not 10 000.
 */
public final class OutboundEvent {
    /**
     * Names socket.io 4 reserves (its RESERVED_EVENTS, server and client): emitting one either
     * throws in the reference server or fires the client's own lifecycle handlers, so no server
     * event may carry one.
     */
    public static final java.util.Set<String> RESERVED_NAMES = java.util.Set.of(
            "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener");

    private final String name;
    private final String json;
    // Two slots: a room may hold Socket.IO and plain /ws sessions at once.
    private volatile Object key1, value1, key2, value2;

    public OutboundEvent(String name, String json) {
        this.name = Objects.requireNonNull(name, "name");
        this.json = json == null ? "null" : json;
    }

    public String name() {
        return name;
    }

    /** The argument as JSON text ({@code "null"} when there is none). */
    public String json() {
        return json;
    }

    /**
     * Returns this event encoded by {@code encoder}, computing it at most about once per encoder
     * (a race may compute it twice; both results are equal). The key identifies the encoding.
     */
    @SuppressWarnings("unchecked")
    public <T> T encoded(Object key, Function<OutboundEvent, T> encoder) {
        if (key1 == key) return (T) value1;
        if (key2 == key) return (T) value2;
        T value = encoder.apply(this);
        if (key1 == null) {
            value1 = value;
            key1 = key;
        } else if (key2 == null) {
            value2 = value;
            key2 = key;
        }
        return value;
    }

    @Override
    public String toString() {
        return "OutboundEvent[" + name + "]";
    }
}
