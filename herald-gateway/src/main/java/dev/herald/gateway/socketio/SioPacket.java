package dev.herald.gateway.socketio;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One Socket.IO v5 packet. {@code data} is the JSON payload (null when absent), with binary
 * attachments as {@code BinaryNode}s where the placeholders were; {@code ackId} is -1 when absent.
 */
public record SioPacket(Type type, String nsp, long ackId, JsonNode data, int attachments) {

    public enum Type {
        CONNECT, DISCONNECT, EVENT, ACK, CONNECT_ERROR, BINARY_EVENT, BINARY_ACK;

        static Type of(char c) {
            int i = c - '0';
            Type[] all = values();
            return i >= 0 && i < all.length ? all[i] : null;
        }

        char code() {
            return (char) ('0' + ordinal());
        }
    }

    public boolean hasAck() {
        return ackId >= 0;
    }
}
