package dev.herald.core.broker;

import java.util.Objects;
import java.util.Set;

/** What travels between nodes for one room: an event to emit, or an order to disconnect. */
public sealed interface RoomMessage {
    /** Emit {@code event} with argument {@code json} to every local member except the listed users. */
    record Emit(String event, String json, Set<String> excludeUserIds) implements RoomMessage {
        public Emit {
            Objects.requireNonNull(event, "event");
            json = json == null ? "null" : json;
            excludeUserIds = excludeUserIds == null ? Set.of() : Set.copyOf(excludeUserIds);
        }
    }

    /** Disconnect every local member of the room, telling each the reason. */
    record Disconnect(String reason) implements RoomMessage {
        public Disconnect {
            reason = reason == null ? "" : reason;
        }
    }
}
