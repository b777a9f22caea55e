package dev.herald.core.route;

import dev.herald.core.deliver.live.Transport;
import java.time.Instant;
import java.util.Objects;

/** One live connection as the cluster-wide registry knows it. {@code teamId} may be null. */
public record ConnectionInfo(String socketId, String userId, String teamId, Transport transport,
                             String nodeId, Instant connectedAt) {
    public ConnectionInfo {
        Objects.requireNonNull(socketId, "socketId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(connectedAt, "connectedAt");
    }

    public ConnectionInfo withTransport(Transport newTransport) {
        return new ConnectionInfo(socketId, userId, teamId, newTransport, nodeId, connectedAt);
    }
}
