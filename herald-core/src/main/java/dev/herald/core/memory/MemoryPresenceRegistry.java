package dev.herald.core.memory;

import dev.herald.core.deliver.live.Transport;
import dev.herald.core.route.ConnectionInfo;
import dev.herald.core.route.ConnectionStats;
import dev.herald.core.route.PresenceRegistry;
import dev.herald.core.route.PresenceStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The single-node registry, and the reference behaviour for RedisPresenceRegistry. */
public final class MemoryPresenceRegistry implements PresenceRegistry {
    private final Map<String, List<ConnectionInfo>> byUser = new ConcurrentHashMap<>();
    private final Map<String, PresenceStatus> statuses = new ConcurrentHashMap<>();

    @Override
    public int register(ConnectionInfo connection) {
        int[] count = new int[1];
        byUser.compute(connection.userId(), (u, list) -> {
            List<ConnectionInfo> next = list == null ? new ArrayList<>() : new ArrayList<>(list);
            next.removeIf(c -> c.socketId().equals(connection.socketId()));
            next.add(connection);
            next.sort(Comparator.comparing(ConnectionInfo::connectedAt));
            count[0] = next.size();
            return List.copyOf(next);
        });
        return count[0];
    }

    @Override
    public int unregister(ConnectionInfo connection) {
        int[] count = new int[1];
        byUser.computeIfPresent(connection.userId(), (u, list) -> {
            List<ConnectionInfo> next = new ArrayList<>(list);
            next.removeIf(c -> c.socketId().equals(connection.socketId()));
            count[0] = next.size();
            if (next.isEmpty()) {
                statuses.remove(u);
                return null;
            }
            return List.copyOf(next);
        });
        return count[0];
    }

    @Override
    public void update(ConnectionInfo connection) {
        byUser.computeIfPresent(connection.userId(), (u, list) -> list.stream()
                .map(c -> c.socketId().equals(connection.socketId()) ? connection : c)
                .toList());
    }

    @Override
    public List<ConnectionInfo> connectionsOf(String userId) {
        return byUser.getOrDefault(userId, List.of());
    }

    @Override
    public ConnectionStats stats(String teamId) {
        int total = 0, ws = 0, polling = 0;
        Map<String, Integer> byTeam = new HashMap<>();
        for (List<ConnectionInfo> list : byUser.values()) {
            for (ConnectionInfo c : list) {
                if (teamId != null && !teamId.equals(c.teamId())) continue;
                total++;
                if (c.transport() == Transport.WEBSOCKET) ws++;
                else polling++;
                if (c.teamId() != null) byTeam.merge(c.teamId(), 1, Integer::sum);
            }
        }
        return new ConnectionStats(total, ws, polling, byTeam,
                Map.of(Transport.WEBSOCKET.wireName(), ws, Transport.POLLING.wireName(), polling));
    }

    @Override
    public void setStatus(String userId, PresenceStatus status) {
        statuses.put(userId, status);
    }

    @Override
    public PresenceStatus statusOf(String userId) {
        if (!byUser.containsKey(userId)) return PresenceStatus.OFFLINE;
        return statuses.getOrDefault(userId, PresenceStatus.ONLINE);
    }
}
