package dev.herald.broker.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.Json;
import dev.herald.core.deliver.live.Transport;
import dev.herald.core.route.ConnectionInfo;
import dev.herald.core.route.ConnectionStats;
import dev.herald.core.route.PresenceRegistry;
import dev.herald.core.route.PresenceStatus;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster-wide {@link PresenceRegistry} in Redis. Every change is one Lua script
 * ({@link PresenceScripts}), so the counts returned by {@link #register}/{@link #unregister} are
 * atomic with the change across all nodes.
 *
 * <p>Keys, under {@code <prefix>presence:}:
 * <ul>
 *   <li>{@code user:<userId>} hash socketId → record: {@link #connectionsOf} is one HGETALL;</li>
 *   <li>{@code status:<userId>} the declared status, deleted with the user's last connection;</li>
 *   <li>{@code stats} hash of counters per transport and per team × transport: {@link #stats} is
 *       O(teams), not O(connections), at the price of two extra HINCRBYs per change;</li>
 *   <li>{@code sockets:<nodeId>} hash socketId → userId and {@code nodes} set: what each node owns,
 *       so a crashed node's entries can be found without scanning every user;</li>
 *   <li>{@code alive:<nodeId>} the node's heartbeat: the {@link Clock}'s epoch millis, with a Redis
 *       TTL of {@code nodeTtl}.</li>
 * </ul>
 *
 * <p>Crashed nodes: {@link #start} writes the heartbeat every {@code nodeTtl / 3} and runs
 * {@link #purgeDeadNodes} as often. A node is dead when its heartbeat key is gone
 * (Redis expired it) or holds a time older than {@code nodeTtl} by this node's clock; its entries
 * are then removed by a script that first checks the heartbeat did not change meanwhile, and so
 * are its room memberships ({@link RedisRoomDirectory}). So a crashed node's connections disappear
 * within {@code nodeTtl * 4/3} of its last heartbeat, and the users it leaves with no connection
 * anywhere are handed to the departure listener (once, by whichever node purged). A live node that cannot
 * reach Redis for longer than {@code nodeTtl} is purged too, and a Redis that restarts empty has
 * forgotten every node: so when this registry's connection comes back, a heartbeat runs at once
 * (not at the next beat), and if it finds the node's key gone, {@code onLapse} re-registers the
 * node's sessions.
 *
 * <p>Threading: thread-safe; every method blocks on Redis (at most the command timeout), so call
 * it from virtual threads, never from an event loop. Redis failures surface as
 * {@link HeraldException} with {@link ErrorCode#UNAVAILABLE}.
 */
public final class RedisPresenceRegistry implements PresenceRegistry, AutoCloseable {
    public static final Duration DEFAULT_NODE_TTL = Duration.ofSeconds(3);
    private static final Logger log = LoggerFactory.getLogger(RedisPresenceRegistry.class);
    private static final ObjectMapper JSON = new ObjectMapper(Json.factory());

    private final String p;
    private final String nodeId;
    private final Clock clock;
    private final Duration nodeTtl;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisCommands<String, String> redis;
    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
    private volatile BiConsumer<String, String> departures = (user, team) -> {};
    private volatile boolean beaten;

    /**
     * Opens its own command connection.
     *
     * @param prefix  key prefix shared by Herald's Redis keys, e.g. {@code herald:}
     * @param nodeId  this node's id, the one its {@link ConnectionInfo}s carry
     * @param nodeTtl how long a node may go without a heartbeat before its entries are purged
     */
    public RedisPresenceRegistry(RedisConnector connector, String prefix, String nodeId, Clock clock, Duration nodeTtl) {
        Objects.requireNonNull(prefix, "prefix");
        this.p = prefix + "presence:";
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.nodeTtl = Objects.requireNonNull(nodeTtl, "nodeTtl");
        if (nodeTtl.toMillis() < 3) throw new IllegalArgumentException("nodeTtl must be at least a few milliseconds");
        this.connection = connector.connectCommands();
        this.redis = connection.sync();
    }

    /** Writes the first heartbeat, then keeps it fresh and sweeps dead nodes on {@code scheduler}. */
    public void start(ScheduledExecutorService scheduler) {
        start(scheduler, () -> {});
    }

    /**
     * As {@link #start(ScheduledExecutorService)}, and runs {@code onLapse} (on the scheduler) when
     * a heartbeat finds that the previous one had lapsed: Redis was unreachable or this node too
     * slow for longer than {@code nodeTtl}, so other nodes may have purged its connections. Wire it
     * to re-register this node's live sessions ({@link #register} is idempotent). The same check
     * runs as soon as the connection to Redis is re-established.
     */
    public synchronized void start(ScheduledExecutorService scheduler, Runnable onLapse) {
        start(scheduler, onLapse, (user, team) -> {});
    }

    /**
     * As {@link #start(ScheduledExecutorService, Runnable)}, and tells {@code departures} (user id,
     * team id or null), on the scheduler, of each user a dead node's purge left with no connection
     * on any node, so their team hears they went offline. Must not block for long.
     */
    public synchronized void start(ScheduledExecutorService scheduler, Runnable onLapse, BiConsumer<String, String> departures) {
        Objects.requireNonNull(onLapse, "onLapse");
        this.departures = Objects.requireNonNull(departures, "departures");
        heartbeat();
        Runnable beatAndHeal = () -> quietly("heartbeat", () -> {
            if (heartbeat()) onLapse.run();
        });
        long beat = nodeTtl.toMillis() / 3;
        tasks.add(scheduler.scheduleWithFixedDelay(beatAndHeal, beat, beat, TimeUnit.MILLISECONDS));
        connection.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> c, SocketAddress address) {
                // Lettuce's I/O thread: the heartbeat blocks, so it runs on the scheduler.
                try {
                    scheduler.execute(beatAndHeal);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    // shutting down
                }
            }
        });
        long sweep = beat;
        tasks.add(scheduler.scheduleWithFixedDelay(() -> quietly("dead-node sweep", this::purgeDeadNodes), sweep, sweep, TimeUnit.MILLISECONDS));
    }

    private static void quietly(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again; a Redis outage must not end the heartbeat.
            log.warn("Presence {} failed: {}", what, e.getMessage());
        }
    }

    /**
     * Marks this node alive for another {@code nodeTtl}. Returns true when an earlier heartbeat of
     * this instance had lapsed (its key was gone), i.e. this node may have been purged.
     */
    public boolean heartbeat() {
        return call(() -> {
            String previous = redis.setGet(p + "alive:" + nodeId, Long.toString(clock.millis()), SetArgs.Builder.px(nodeTtl.toMillis()));
            redis.sadd(p + "nodes", nodeId);
            boolean lapsed = previous == null && beaten;
            beaten = true;
            if (lapsed) log.warn("Node {} missed its heartbeat for longer than {}; its connections may have been purged", nodeId, nodeTtl);
            return lapsed;
        });
    }

    /**
     * Removes the entries of every other node whose heartbeat is missing or older than
     * {@code nodeTtl}; returns how many connections were forgotten.
     */
    public int purgeDeadNodes() {
        return call(() -> {
            int purged = 0;
            long now = clock.millis();
            for (String node : redis.smembers(p + "nodes")) {
                if (node.equals(nodeId)) continue;
                String seen = redis.get(p + "alive:" + node);
                if (seen != null && !isStale(seen, now)) continue;
                List<Object> out = PresenceScripts.PURGE_NODE.runList(redis,
                        new String[] {p + "sockets:" + node, p + "alive:" + node, p + "stats", p + "nodes"},
                        p, node, seen == null ? "" : seen);
                long n = (Long) out.get(0);
                if (n < 0) continue;
                long rooms = PresenceScripts.PURGE_ROOMS.run(redis, new String[] {p + "rooms:" + node}, p, node);
                log.info("Purged {} connection(s) and {} room membership(s) of node {}, whose heartbeat stopped; {} user(s) went offline",
                        n, rooms, node, (out.size() - 1) / 2);
                purged += (int) n;
                for (int i = 1; i + 1 < out.size(); i += 2) {
                    String team = (String) out.get(i + 1);
                    try {
                        departures.accept((String) out.get(i), team.isEmpty() ? null : team);
                    } catch (RuntimeException e) {
                        log.warn("Could not announce that a user of dead node {} went offline: {}", node, e.getMessage());
                    }
                }
            }
            return purged;
        });
    }

    private boolean isStale(String heartbeat, long now) {
        try {
            return now - Long.parseLong(heartbeat) > nodeTtl.toMillis();
        } catch (NumberFormatException e) {
            return true;
        }
    }

    @Override
    public int register(ConnectionInfo c) {
        return Math.toIntExact(call(() -> PresenceScripts.REGISTER.run(redis,
                new String[] {userKey(c.userId()), p + "sockets:" + c.nodeId(), p + "stats", p + "nodes"},
                p, c.socketId(), encode(c), c.userId(), c.nodeId())));
    }

    @Override
    public int unregister(ConnectionInfo c) {
        return Math.toIntExact(call(() -> PresenceScripts.UNREGISTER.run(redis,
                new String[] {userKey(c.userId()), p + "stats", p + "status:" + c.userId()},
                p, c.socketId())));
    }

    @Override
    public void update(ConnectionInfo c) {
        call(() -> PresenceScripts.UPDATE.run(redis,
                new String[] {userKey(c.userId()), p + "stats", p + "nodes"},
                p, c.socketId(), encode(c), c.userId()));
    }

    @Override
    public List<ConnectionInfo> connectionsOf(String userId) {
        Map<String, String> records = call(() -> redis.hgetall(userKey(userId)));
        List<ConnectionInfo> out = new ArrayList<>(records.size());
        records.forEach((socketId, record) -> {
            ConnectionInfo c = decode(socketId, userId, record);
            if (c != null) out.add(c);
        });
        out.sort(Comparator.comparing(ConnectionInfo::connectedAt).thenComparing(ConnectionInfo::socketId));
        return out;
    }

    @Override
    public ConnectionStats stats(String teamId) {
        Map<String, Integer> byTransport = new HashMap<>();
        Map<String, Integer> byTeam = new HashMap<>();
        for (Transport t : Transport.values()) byTransport.put(t.wireName(), 0);
        if (teamId == null) {
            call(() -> redis.hgetall(p + "stats")).forEach((field, value) -> {
                int n = Integer.parseInt(value);
                if (field.startsWith("G|")) byTransport.merge(field.substring(2), n, Integer::sum);
                else if (field.startsWith("T|")) {
                    int bar = field.indexOf('|', 2);
                    if (bar > 0) byTeam.merge(field.substring(bar + 1), n, Integer::sum);
                }
            });
        } else {
            Transport[] transports = Transport.values();
            String[] fields = new String[transports.length];
            for (int i = 0; i < transports.length; i++) fields[i] = "T|" + transports[i].wireName() + "|" + teamId;
            List<KeyValue<String, String>> values = call(() -> redis.hmget(p + "stats", fields));
            for (int i = 0; i < transports.length; i++) {
                int n = values.get(i).hasValue() ? Integer.parseInt(values.get(i).getValue()) : 0;
                byTransport.put(transports[i].wireName(), n);
            }
            int total = byTransport.values().stream().mapToInt(Integer::intValue).sum();
            if (total > 0) byTeam.put(teamId, total);
        }
        int ws = byTransport.getOrDefault(Transport.WEBSOCKET.wireName(), 0);
        int polling = byTransport.getOrDefault(Transport.POLLING.wireName(), 0);
        return new ConnectionStats(ws + polling, ws, polling, byTeam, byTransport);
    }

    @Override
    public void setStatus(String userId, PresenceStatus status) {
        call(() -> PresenceScripts.SET_STATUS.run(redis,
                new String[] {userKey(userId), p + "status:" + userId}, p, status.wireName()));
    }

    @Override
    public PresenceStatus statusOf(String userId) {
        return call(() -> {
            if (redis.exists(userKey(userId)) == 0) return PresenceStatus.OFFLINE;
            String s = redis.get(p + "status:" + userId);
            return s == null ? PresenceStatus.ONLINE : PresenceStatus.parse(s).orElse(PresenceStatus.ONLINE);
        });
    }

    public String nodeId() {
        return nodeId;
    }

    /**
     * Stops the heartbeat and deletes it, so the other nodes purge whatever this node still had
     * registered at their next sweep instead of waiting for the TTL.
     */
    @Override
    public synchronized void close() {
        tasks.forEach(t -> t.cancel(false));
        tasks.clear();
        try {
            redis.del(p + "alive:" + nodeId);
        } catch (RedisException e) {
            log.warn("Could not delete the heartbeat of node {}: {}", nodeId, e.getMessage());
        }
        connection.close();
    }

    private String userKey(String userId) {
        return p + "user:" + userId;
    }

    private static String encode(ConnectionInfo c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("x", c.transport().wireName());
        if (c.teamId() != null) n.put("t", c.teamId());
        n.put("n", c.nodeId());
        n.put("c", c.connectedAt().toString());
        return n.toString();
    }

    private static ConnectionInfo decode(String socketId, String userId, String record) {
        try {
            JsonNode n = JSON.readTree(record);
            Transport transport = Transport.WEBSOCKET.wireName().equals(n.path("x").asText()) ? Transport.WEBSOCKET : Transport.POLLING;
            String team = n.hasNonNull("t") ? n.get("t").asText() : null;
            return new ConnectionInfo(socketId, userId, team, transport, n.path("n").asText(), Instant.parse(n.path("c").asText()));
        } catch (IOException | RuntimeException e) {
            log.warn("Ignored an unreadable presence record of socket {} ({} chars)", socketId, record.length());
            return null;
        }
    }

    private static <T> T call(Supplier<T> body) {
        try {
            return body.get();
        } catch (RedisException e) {
            throw new HeraldException(ErrorCode.UNAVAILABLE, "Presence registry unavailable: " + e.getMessage(), e);
        }
    }
}
