package dev.herald.core.route;

/** Receives room messages for the rooms this node subscribed to. Must not block. */
@FunctionalInterface
public interface BrokerListener {
    void onMessage(String room, RoomMessage message);
}
