package dev.herald.core.client;

/**
 * Connection caps: {@code maxConnections} per node (MAX_CONNECTIONS) and
 * {@code maxConnectionsPerUser} across the cluster (seed 003: the oldest is disconnected).
 */
public record ClientLimits(int maxConnections, int maxConnectionsPerUser) {
    public ClientLimits {
        if (maxConnections < 1) throw new IllegalArgumentException("MAX_CONNECTIONS must be at least 1");
        if (maxConnectionsPerUser < 1) throw new IllegalArgumentException("MAX_CONNECTIONS_PER_USER must be at least 1");
    }
}
