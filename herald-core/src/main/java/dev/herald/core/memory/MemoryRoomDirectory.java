package dev.herald.core.memory;

import dev.herald.core.route.RoomDirectory;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The single-node directory, and the reference behaviour for RedisRoomDirectory. */
public final class MemoryRoomDirectory implements RoomDirectory {
    /** room → socketId → userId */
    private final Map<String, Map<String, String>> rooms = new ConcurrentHashMap<>();

    @Override
    public void joined(String room, String socketId, String userId) {
        rooms.computeIfAbsent(room, r -> new ConcurrentHashMap<>()).put(socketId, userId);
    }

    @Override
    public void left(String room, String socketId, boolean lastLocal) {
        rooms.computeIfPresent(room, (r, members) -> {
            members.remove(socketId);
            return members.isEmpty() ? null : members;
        });
    }

    @Override
    public int members(String room, Set<String> excludedUserIds) {
        Map<String, String> members = rooms.get(room);
        if (members == null) return 0;
        if (excludedUserIds.isEmpty()) return members.size();
        int n = 0;
        for (String user : members.values()) if (!excludedUserIds.contains(user)) n++;
        return n;
    }
}
