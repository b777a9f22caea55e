package dev.herald.core.route;

import java.util.Map;

/** Connection counts as GetConnectionStats reports them (seed 000). */
public record ConnectionStats(int totalConnections, int websocketConnections, int pollingConnections,
                              Map<String, Integer> connectionsByTeam, Map<String, Integer> connectionsByTransport) {
    public ConnectionStats {
        connectionsByTeam = Map.copyOf(connectionsByTeam);
        connectionsByTransport = Map.copyOf(connectionsByTransport);
    }
}
