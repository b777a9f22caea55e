package dev.herald.core.route;

import java.util.Set;

/**
 * Who is in each room across the cluster, so a room's recipient count is the cluster's, not this
 * node's (DESIGN §7). The {@link Hub} tells it every local join and leave of rooms other than
 * {@code user:} and {@code team:} ones, which the {@link PresenceRegistry} already counts from each
 * connection's user and team. Implementations: MemoryRoomDirectory (one node),
 * RedisRoomDirectory (every node's members in Redis, dropped with a dead node by the registry's sweep).
 *
 * <p>Threading: thread-safe. {@link #joined} and {@link #left} never block (they run inside the
 * hub's bookkeeping) and take effect in call order; a failure to record one is logged, not thrown,
 * and repaired when the node re-registers its sessions. {@link #members} may block on the network:
 * call it from a virtual thread.
 */
public interface RoomDirectory {
    /** A session of this node joined the room. */
    void joined(String room, String socketId, String userId);

    /** A session of this node left the room; {@code lastLocal} when no member of it is left on this node. */
    void left(String room, String socketId, boolean lastLocal);

    /** The room's members on every live node, not counting sessions of the excluded users. */
    int members(String room, Set<String> excludedUserIds);
}
