package dev.herald.core.deliver.live;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * An event a client sent: its name, its first argument ({@code NullNode} when there is none) and
 * the ack to answer through, or null when the client did not ask for one.
 */
public record ClientEvent(String name, JsonNode data, Ack ack) {
    public ClientEvent {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(data, "data");
    }

    public boolean wantsAck() {
        return ack != null;
    }
}
