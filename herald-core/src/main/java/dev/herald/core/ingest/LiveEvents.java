package dev.herald.core.ingest;

import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.route.ConnectionInfo;
import dev.herald.core.route.ConnectionStats;
import dev.herald.core.route.Hub;
import dev.herald.core.route.PresenceRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The six realtime operations of seed 000's NotificationsService, cluster-wide, for every server
 * API surface (gRPC, REST). Sends go through the {@link Hub}, hence the broker, so they reach the
 * user's sockets on every node; counts come from the cluster-wide {@link PresenceRegistry}.
 *
 * <p>Delivery is fire-and-forget as in seed 000: "delivered" means the message was handed to the
 * broker for at least one live connection, not that a client read it. A message the broker did
 * not take is never answered as a success: while the broker is down every send and disconnect
 * fails at once with {@code BROKER_UNAVAILABLE} (HTTP 503, gRPC UNAVAILABLE), and a publication the
 * broker refuses fails the same way. A call that would take this node's live fan-out backlog past
 * its bound ({@link dev.herald.core.route.FanOutBacklog}) fails at once with {@code OVERLOADED}
 * (HTTP 503 with {@code Retry-After}, gRPC UNAVAILABLE), having published nothing.
 *
 * <p>How recipients are counted for {@link #broadcastToRoom}: for {@code user:{id}} and
 * {@code team:{id}} rooms from the presence registry (it knows every connection with its user and
 * team), for any other room (e.g. {@code channel:x}, {@code post:1}) from the hub's
 * {@link dev.herald.core.route.RoomDirectory}: both cluster-wide with a Redis registry, minus the
 * excluded users' connections. A room nobody is in anywhere is not published. The count is taken
 * just before publishing, so a client joining or leaving meanwhile may or may not be in it.
 *
 * <p>Threading: thread-safe. Blocks (presence lookups, waiting for the broker to accept), so call
 * it from virtual threads, never from an event loop.
 */
public final class LiveEvents {
    private static final Logger log = LoggerFactory.getLogger(LiveEvents.class);
    private static final Duration SLOW = Duration.ofMillis(100);
    public static final String USER_ROOM_PREFIX = "user:";
    public static final String TEAM_ROOM_PREFIX = "team:";

    /** SendToUser's answer. */
    public record Delivery(boolean delivered, int connectionCount) {
    }

    /** SendToUsers' answer; {@code connectionsByUser} has every distinct requested user, 0 when offline. */
    public record BatchDelivery(int totalUsers, int deliveredCount, Map<String, Integer> connectionsByUser) {
        public BatchDelivery {
            connectionsByUser = Map.copyOf(connectionsByUser);
        }
    }

    /** BroadcastToRoom's answer; see the class comment for how {@code recipientCount} is counted. */
    public record Broadcast(boolean delivered, int recipientCount) {
    }

    /**
     * A broadcast with acks' answer (Socket.IO {@code timeout().emitWithAck}): {@code responses}
     * holds each ack's first argument as JSON text, in arrival order; {@code timedOut} recipients
     * did not answer in time (or went away, or use a transport without acks).
     */
    public record AckedBroadcast(int recipients, int acked, int timedOut, List<String> responses) {
        public AckedBroadcast {
            responses = List.copyOf(responses);
        }
    }

    /** The longest a broadcast with acks may wait for its clients. */
    public static final Duration MAX_ACK_TIMEOUT = Duration.ofSeconds(60);
    /** How long past the clients' timeout the requester waits for the nodes' reports to travel. */
    private static final Duration REPORT_GRACE = Duration.ofSeconds(2);

    /** IsUserConnected's answer. */
    public record UserConnections(boolean connected, int connectionCount, List<String> socketIds) {
        public UserConnections {
            socketIds = List.copyOf(socketIds);
        }
    }

    private final Hub hub;
    private final PresenceRegistry presence;
    private final Clock clock;
    private final LiveEventsConfig config;
    private final DeliveryObserver observer;

    public LiveEvents(Hub hub, PresenceRegistry presence, Clock clock, LiveEventsConfig config) {
        this(hub, presence, clock, config, DeliveryObserver.NONE);
    }

    public LiveEvents(Hub hub, PresenceRegistry presence, Clock clock, LiveEventsConfig config, DeliveryObserver observer) {
        this.hub = hub;
        this.presence = presence;
        this.clock = clock;
        this.config = config;
        this.observer = observer;
    }

    /** Emits the event to every connection of the user on every node. */
    public Delivery sendToUser(String userId, String eventType, String payloadJson, String correlationId) {
        LiveEventValidation.id("user_id", userId);
        LiveEventValidation.eventName(eventType);
        String json = LiveEventValidation.payload(payloadJson, config.maxPayloadBytes());
        requireBroker();
        admit(USER_ROOM_PREFIX + userId);
        Instant start = clock.instant();
        int connections = presence.connectionsOf(userId).size();
        // A user nobody holds a socket for costs no broker traffic.
        if (connections > 0) await(List.of(hub.emit(USER_ROOM_PREFIX + userId, eventType, json, Set.of()).toCompletableFuture()));
        logSent(start, "user " + userId, eventType, connections, correlationId);
        return new Delivery(connections > 0, connections);
    }

    /** Emits the event to every connection of each listed user; duplicates are sent once. */
    public BatchDelivery sendToUsers(List<String> userIds, String eventType, String payloadJson, String correlationId) {
        if (userIds == null || userIds.isEmpty()) throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "user_ids is required");
        Set<String> distinct = new LinkedHashSet<>();
        for (String id : userIds) distinct.add(LiveEventValidation.id("user_ids[]", id));
        if (distinct.size() > config.maxUsersPerCall()) {
            throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "user_ids names more than " + config.maxUsersPerCall() + " users");
        }
        LiveEventValidation.eventName(eventType);
        String json = LiveEventValidation.payload(payloadJson, config.maxPayloadBytes());
        requireBroker();
        int local = 0;
        for (String userId : distinct) local += hub.localFanOut(USER_ROOM_PREFIX + userId);
        hub.backlog().admit(local);
        Instant start = clock.instant();
        Map<String, Integer> byUser = new LinkedHashMap<>();
        List<CompletableFuture<Void>> published = new ArrayList<>();
        int delivered = 0, connections = 0;
        for (String userId : distinct) {
            int count = presence.connectionsOf(userId).size();
            byUser.put(userId, count);
            if (count == 0) continue;
            delivered++;
            connections += count;
            published.add(hub.emit(USER_ROOM_PREFIX + userId, eventType, json, Set.of()).toCompletableFuture());
        }
        await(published);
        logSent(start, distinct.size() + " users", eventType, connections, correlationId);
        return new BatchDelivery(distinct.size(), delivered, byUser);
    }

    /**
     * Emits the event to every member of the room on every node except the excluded users' sessions.
     * A room id without a {@code kind:} prefix is a team id (seed 000: "typically team_id").
     */
    public Broadcast broadcastToRoom(String roomId, String eventType, String payloadJson, Set<String> excludeUserIds,
                                     String correlationId) {
        String room = roomName(LiveEventValidation.id("room_id", roomId));
        LiveEventValidation.eventName(eventType);
        String json = LiveEventValidation.payload(payloadJson, config.maxPayloadBytes());
        Set<String> excluded = excludeUserIds == null ? Set.of() : Set.copyOf(excludeUserIds);
        requireBroker();
        admit(room);
        Instant start = clock.instant();
        int recipients = recipients(room, excluded);
        if (recipients > 0) {
            await(List.of(hub.emit(room, eventType, json, excluded).toCompletableFuture()));
        }
        logSent(start, "room " + room, eventType, recipients, correlationId);
        return new Broadcast(recipients > 0, recipients);
    }

    /**
     * Emits the event to every member of the room on every node, asking each client to ack within
     * {@code timeout}, and answers once every recipient counted at the start has answered or timed
     * out: each node gathers its own clients' acks and reports them over the broker to a reply room
     * only this node listens to. A node that dies meanwhile never reports: its clients count as
     * timed out once {@code timeout} and a short grace have passed. Blocks up to about that long.
     */
    public AckedBroadcast broadcastWithAck(String roomId, String eventType, String payloadJson, Set<String> excludeUserIds,
                                           Duration timeout, String correlationId) {
        String room = roomName(LiveEventValidation.id("room_id", roomId));
        LiveEventValidation.eventName(eventType);
        String json = LiveEventValidation.payload(payloadJson, config.maxPayloadBytes());
        if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_ACK_TIMEOUT) > 0) {
            throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "ackTimeoutMs: must be between 1 and " + MAX_ACK_TIMEOUT.toMillis());
        }
        Set<String> excluded = excludeUserIds == null ? Set.of() : Set.copyOf(excludeUserIds);
        requireBroker();
        admit(room);
        Instant start = clock.instant();
        int expected = recipients(room, excluded);
        if (expected == 0) return new AckedBroadcast(0, 0, 0, List.of());
        String replyRoom = "ack:" + java.util.UUID.randomUUID();
        AckTally tally = new AckTally(expected);
        try {
            await(List.of(hub.listen(replyRoom, m -> {
                if (m instanceof dev.herald.core.route.RoomMessage.Acks a) tally.add(a);
            }).toCompletableFuture()));
            await(List.of(hub.emitWithAck(room, eventType, json, excluded, replyRoom, timeout).toCompletableFuture()));
            tally.awaitAll(timeout.plus(REPORT_GRACE));
        } finally {
            hub.unlisten(replyRoom);
        }
        AckedBroadcast result = tally.result();
        logSent(start, "room " + room + " with acks", eventType, result.recipients(), correlationId);
        return result;
    }

    /** The nodes' reports of one broadcast with acks, until they cover every expected recipient. */
    private static final class AckTally {
        private final int expected;
        private int reported;
        private final List<String> responses = new ArrayList<>();

        AckTally(int expected) {
            this.expected = expected;
        }

        synchronized void add(dev.herald.core.route.RoomMessage.Acks a) {
            reported += a.recipients();
            responses.addAll(a.responses());
            if (reported >= expected) notifyAll();
        }

        synchronized void awaitAll(Duration bound) {
            long deadline = System.nanoTime() + bound.toNanos();
            try {
                while (reported < expected) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) return;
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HeraldException(ErrorCode.UNAVAILABLE, "interrupted while waiting for acks");
            }
        }

        synchronized AckedBroadcast result() {
            // A client that joined after the count was taken may have answered too.
            int recipients = Math.max(expected, reported);
            return new AckedBroadcast(recipients, responses.size(), recipients - responses.size(), responses);
        }
    }

    /** The user's live connections on every node. */
    public UserConnections isUserConnected(String userId) {
        LiveEventValidation.id("user_id", userId);
        List<String> ids = presence.connectionsOf(userId).stream().map(ConnectionInfo::socketId).toList();
        return new UserConnections(!ids.isEmpty(), ids.size(), ids);
    }

    /** Cluster totals, or one team's when {@code teamId} is non-blank. */
    public ConnectionStats stats(String teamId) {
        return presence.stats(teamId == null || teamId.isBlank() ? null : teamId);
    }

    /** Disconnects every connection of the user on every node; returns how many there were. */
    public int disconnectUser(String userId, String reason) {
        LiveEventValidation.id("user_id", userId);
        LiveEventValidation.reason(reason);
        requireBroker();
        int connections = presence.connectionsOf(userId).size();
        if (connections > 0) await(List.of(hub.disconnect(USER_ROOM_PREFIX + userId, reason).toCompletableFuture()));
        log.info("disconnect requested for user {}: {} connections", userId, connections);
        return connections;
    }

    static String roomName(String roomId) {
        return roomId.indexOf(':') < 0 ? TEAM_ROOM_PREFIX + roomId : roomId;
    }

    private int recipients(String room, Set<String> excluded) {
        if (room.startsWith(USER_ROOM_PREFIX)) {
            String userId = room.substring(USER_ROOM_PREFIX.length());
            return excluded.contains(userId) ? 0 : presence.connectionsOf(userId).size();
        }
        if (room.startsWith(TEAM_ROOM_PREFIX)) {
            String teamId = room.substring(TEAM_ROOM_PREFIX.length());
            int count = presence.stats(teamId).totalConnections();
            for (String userId : excluded) {
                count -= (int) presence.connectionsOf(userId).stream().filter(c -> teamId.equals(c.teamId())).count();
            }
            return Math.max(count, 0);
        }
        return hub.directory().members(room, excluded);
    }

    /** Emits the event to every client on every node (seed 001 {@code io.emit}), except the excluded users' sessions. */
    public Broadcast broadcastToEveryone(String eventType, String payloadJson, Set<String> excludeUserIds, String correlationId) {
        LiveEventValidation.eventName(eventType);
        String json = LiveEventValidation.payload(payloadJson, config.maxPayloadBytes());
        Set<String> excluded = excludeUserIds == null ? Set.of() : Set.copyOf(excludeUserIds);
        for (String id : excluded) LiveEventValidation.id("exclude_user_ids[]", id);
        requireBroker();
        admit(Hub.EVERYONE);
        Instant start = clock.instant();
        int recipients = presence.stats(null).totalConnections();
        for (String userId : excluded) recipients -= presence.connectionsOf(userId).size();
        recipients = Math.max(recipients, 0);
        if (recipients > 0) await(List.of(hub.emitToEveryone(eventType, json, excluded).toCompletableFuture()));
        logSent(start, "everyone", eventType, recipients, correlationId);
        return new Broadcast(recipients > 0, recipients);
    }

    /**
     * Refuses ({@code OVERLOADED}, with a retry-after) a call whose local deliveries would take this
     * node's fan-out backlog past its bound: nothing is published, and what was accepted before
     * still goes out. Only this node's backlog is known here; other nodes queue what reaches them.
     */
    private void admit(String room) {
        hub.backlog().admit(hub.localFanOut(room));
    }

    /** Fails fast while the broker is down: the registry is not to be trusted either, and nothing could be sent. */
    private void requireBroker() {
        hub.brokerDownSince().ifPresent(since -> {
            throw brokerUnavailable();
        });
    }

    private static HeraldException brokerUnavailable() {
        return new HeraldException(ErrorCode.BROKER_UNAVAILABLE, "the message broker is unavailable; nothing was sent, retry later");
    }

    private void await(List<CompletableFuture<Void>> published) {
        if (published.isEmpty()) return;
        try {
            CompletableFuture.allOf(published.toArray(CompletableFuture[]::new))
                    .get(config.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HeraldException(ErrorCode.UNAVAILABLE, "interrupted while publishing");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof HeraldException h && h.code() == ErrorCode.BROKER_UNAVAILABLE) throw brokerUnavailable();
            log.warn("broker refused a realtime message: {}", e.getCause().toString());
            throw new HeraldException(ErrorCode.DELIVERY_FAILED, "the broker did not accept the message");
        } catch (TimeoutException e) {
            log.warn("broker did not accept a realtime message within {}", config.publishTimeout());
            throw new HeraldException(ErrorCode.DELIVERY_FAILED, "the broker did not accept the message in time");
        }
    }

    private void logSent(Instant start, String target, String eventType, int connections, String correlationId) {
        Duration took = Duration.between(start, clock.instant());
        observer.sent(eventType, connections, took);
        if (took.compareTo(SLOW) > 0) {
            log.warn("slow delivery of {} to {}: {} ms, {} connections, correlation {}",
                    eventType, target, took.toMillis(), connections, correlationId);
        } else if (log.isDebugEnabled()) {
            log.debug("sent {} to {}: {} connections, correlation {}", eventType, target, connections, correlationId);
        }
    }
}
