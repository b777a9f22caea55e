package dev.herald.gateway.engineio;

import dev.herald.core.deliver.live.DisconnectReason;

/** Receives one session's messages, in order, on its event loop; must not block. */
public interface EngineSocketHandler {
    void onMessage(EngineSocket socket, String text);

    void onBinary(EngineSocket socket, byte[] data);

    /** The session moved from polling to WebSocket; {@link EngineSocket#transport()} now says so. */
    default void onUpgrade(EngineSocket socket) {}

    /**
     * The last packets for a client being dropped for {@code reason} past the outbound queue (a slow
     * consumer): written after what is already buffered, then the close frame.
     */
    default java.util.List<EnginePacket> farewell(DisconnectReason reason) {
        return java.util.List.of();
    }

    /**
     * A message over maxPayload arrived and was dropped unread; the session closes right after, but
     * what is sent from here still reaches the client first (a Socket.IO CONNECT_ERROR, say).
     */
    default void onOversized(EngineSocket socket) {}

    /** Called once, after which nothing more is delivered or sent. */
    void onClose(EngineSocket socket, DisconnectReason reason);
}
