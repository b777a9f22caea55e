package dev.herald.core.route;

import java.util.List;

/**
 * The cluster-wide registry of live connections and user statuses, so IsUserConnected,
 * GetConnectionStats and presence events answer for every node. Implementations:
 * MemoryPresenceRegistry (one node), RedisPresenceRegistry.
 *
 * <p>Threading: thread-safe; network-backed implementations block, so call from virtual threads.
 * Counts returned by {@link #register} and {@link #unregister} are atomic with the change, so
 * exactly one caller sees a user's first connection (1) and exactly one sees the last go (0).
 */
public interface PresenceRegistry {
    /** Records a connection; returns the user's connection count including it. */
    int register(ConnectionInfo connection);

    /** Forgets a connection (idempotent); returns the user's remaining connection count. */
    int unregister(ConnectionInfo connection);

    /** Replaces a registered connection's record, e.g. after a polling client upgrades. */
    void update(ConnectionInfo connection);

    /** The user's live connections on every node, oldest first. */
    List<ConnectionInfo> connectionsOf(String userId);

    /** Totals for the cluster, or for one team when {@code teamId} is non-null. */
    ConnectionStats stats(String teamId);

    void setStatus(String userId, PresenceStatus status);

    /** The user's declared status; OFFLINE when they have no connection. */
    PresenceStatus statusOf(String userId);
}
