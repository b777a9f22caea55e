package dev.herald.core.route;

import dev.herald.core.deliver.live.DisconnectReason;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What travels between nodes for one room: an event to emit, an order to disconnect, or an event
 * whose clients' acks are gathered and the report of one node's acks.
 */
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

    /**
     * Emit {@code event} to every local member except the listed users, each asking for an ack
     * within {@code timeoutMillis}; then publish what came back as one {@link Acks} to {@code replyRoom}.
     */
    record EmitWithAck(String event, String json, Set<String> excludeUserIds, String replyRoom, long timeoutMillis)
            implements RoomMessage {
        public EmitWithAck {
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(replyRoom, "replyRoom");
            json = json == null ? "null" : json;
            excludeUserIds = excludeUserIds == null ? Set.of() : Set.copyOf(excludeUserIds);
            if (timeoutMillis < 0) throw new IllegalArgumentException("timeoutMillis must not be negative");
        }
    }

    /**
     * One node's answer to an {@link EmitWithAck}: to how many of its sessions the event went, and
     * each ack's first argument as JSON text (the others timed out, disconnected or cannot ack).
     */
    record Acks(int recipients, List<String> responses) implements RoomMessage {
        public Acks {
            responses = List.copyOf(responses);
            if (recipients < responses.size()) throw new IllegalArgumentException("more acks than recipients");
        }
    }
}
