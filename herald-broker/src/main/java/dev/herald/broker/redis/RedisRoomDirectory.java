package dev.herald.broker.redis;

import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.Json;
import dev.herald.core.route.RoomDirectory;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster-wide {@link RoomDirectory} in Redis, beside {@link RedisPresenceRegistry}'s keys
 * under {@code <prefix>presence:}:
 * <ul>
 *   <li>{@code room:<room>} hash socketId → {@code ["<nodeId>","<userId>"]}: a count is one HLEN,
 *       one HVALS when users are excluded;</li>
 *   <li>{@code rooms:<nodeId>} set of the rooms the node has members in, so the registry's sweep
 *       removes a dead node's members room by room ({@link PresenceScripts#PURGE_ROOMS}) without a
 *       scan.</li>
 * </ul>
 *
 * <p>Writes are asynchronous on one connection, so they reach Redis in call order and never block
 * the hub; a failed write is logged, and the node's memberships are written again when its
 * registry finds it was purged ({@link dev.herald.core.route.Hub#restoreDirectory}).
 */
public final class RedisRoomDirectory implements RoomDirectory, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisRoomDirectory.class);

    private final String p;
    private final String nodeId;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisAsyncCommands<String, String> writes;
    private final RedisCommands<String, String> reads;

    public RedisRoomDirectory(RedisConnector connector, String prefix, String nodeId) {
        this.p = Objects.requireNonNull(prefix, "prefix") + "presence:";
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.connection = connector.connectCommands();
        this.writes = connection.async();
        this.reads = connection.sync();
    }

    @Override
    public void joined(String room, String socketId, String userId) {
        watch("join", writes.sadd(p + "rooms:" + nodeId, room));
        watch("join", writes.hset(p + "room:" + room, socketId, Json.write(List.of(nodeId, userId))));
    }

    @Override
    public void left(String room, String socketId, boolean lastLocal) {
        watch("leave", writes.hdel(p + "room:" + room, socketId));
        if (lastLocal) watch("leave", writes.srem(p + "rooms:" + nodeId, room));
    }

    private static void watch(String what, CompletionStage<?> command) {
        command.whenComplete((ok, e) -> {
            if (e != null) log.warn("Could not record a room {} in Redis: {}", what, e.getMessage());
        });
    }

    @Override
    public int members(String room, Set<String> excludedUserIds) {
        try {
            if (excludedUserIds.isEmpty()) return Math.toIntExact(reads.hlen(p + "room:" + room));
            int n = 0;
            for (String member : reads.hvals(p + "room:" + room)) {
                String user = Json.parse(member, "room member").path(1).asText();
                if (!excludedUserIds.contains(user)) n++;
            }
            return n;
        } catch (RedisException e) {
            throw new HeraldException(ErrorCode.UNAVAILABLE, "Room directory unavailable: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        connection.close();
    }
}
