package dev.herald.core.route;

import dev.herald.core.deliver.live.DisconnectReason;
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

    /**
     * Disconnect local members of the room, telling each the reason: all of them when
     * {@code socketIds} is empty, else only those sockets (the per-user cap evicts the oldest).
     */
    record Disconnect(DisconnectReason reason, Set<String> socketIds) implements RoomMessage {
        public Disconnect {
            Objects.requireNonNull(reason, "reason");
            socketIds = socketIds == null ? Set.of() : Set.copyOf(socketIds);
        }

        /** Disconnects every member with an operator's kick message. */
        public Disconnect(String kickMessage) {
            this(DisconnectReason.kicked(kickMessage), Set.of());
        }
    }
}
