package dev.herald.core.deliver.live;

/**
 * Connection caps: {@code maxConnections} per node (MAX_CONNECTIONS), {@code maxConnectionsPerUser}
 * across the cluster (seed 003: the oldest is disconnected), and {@code presenceTeamLimit}: online
 * and offline notices go to a team only while it has at most that many sockets on this node. Each
 * notice is one frame per teammate, so announcing every arrival to a team of N costs N² frames
 * while it fills up; past the limit, presence is asked for (IsUserConnected) instead of pushed.
 */
public record ClientLimits(int maxConnections, int maxConnectionsPerUser, int presenceTeamLimit) {
    public static final int DEFAULT_PRESENCE_TEAM_LIMIT = 500;

    public ClientLimits {
        if (maxConnections < 1) throw new IllegalArgumentException("MAX_CONNECTIONS must be at least 1");
        if (maxConnectionsPerUser < 1) throw new IllegalArgumentException("MAX_CONNECTIONS_PER_USER must be at least 1");
        if (presenceTeamLimit < 0) throw new IllegalArgumentException("PRESENCE_TEAM_LIMIT must not be negative");
    }

    public ClientLimits(int maxConnections, int maxConnectionsPerUser) {
        this(maxConnections, maxConnectionsPerUser, DEFAULT_PRESENCE_TEAM_LIMIT);
    }
}
