package dev.herald.core.deliver.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.Json;
import dev.herald.core.Text;
import dev.herald.core.auth.Principal;
import dev.herald.core.limit.RateLimited;
import dev.herald.core.limit.RateLimiter;
import dev.herald.core.deliver.live.ClientEvent;
import dev.herald.core.deliver.live.DisconnectReason;
import dev.herald.core.deliver.live.OutboundEvent;
import dev.herald.core.deliver.live.Session;
import dev.herald.core.deliver.live.SessionHandler;
import dev.herald.core.route.ConnectionInfo;
import dev.herald.core.route.Hub;
import dev.herald.core.route.PresenceRegistry;
import dev.herald.core.route.PresenceStatus;
import dev.herald.core.route.RoomRules;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Herald does with every client session, whatever its protocol: admits it under the caps,
 * registers it cluster-wide, joins its automatic rooms, greets it, answers its events and tells
 * its team when the user comes and goes (DESIGN §3).
 *
 * <p>Nothing tells a client it is in a room before this node hears the room: {@code connection_ready}
 * (and so the greeting that reads the inbox) and {@code room:joined} wait until the broker has
 * confirmed the subscriptions they imply ({@link Hub#subscribed}), at most
 * {@link #DEFAULT_SUBSCRIPTION_WAIT}. The wait blocks only the session's own virtual thread, which
 * the {@link SessionHandler} contract allows, and keeps the order: nothing the client sent after
 * connecting is answered before it is greeted. While the broker's link is down there is no wait;
 * {@link OutageRecovery} brings the session what it missed once the link is back. When a
 * confirmation of the user's room is late (past the wait) the session is told so when it arrives,
 * with a {@value #SYNC_HINT} {@code {since}} event whose data is the request that fetches the
 * notifications it may have missed.
 *
 * <p>Event handlers beyond rooms and presence (the inbox's) are added with {@link #on} before the
 * gateway starts; the handler answers unknown events with {@code INVALID_EVENT_TYPE}.
 */
public final class HeraldSessionHandler implements SessionHandler {
    private static final Logger log = LoggerFactory.getLogger(HeraldSessionHandler.class);
    /** How long a greeting or a room:joined waits for the broker: well past a healthy round trip, short for a person. */
    public static final Duration DEFAULT_SUBSCRIPTION_WAIT = Duration.ofSeconds(5);
    public static final String SYNC_HINT = OutageRecovery.SYNC_HINT;

    private final String nodeId;
    private final Hub hub;
    private final PresenceRegistry presence;
    private final RoomRules rules;
    private final ClientLimits limits;
    private final Clock clock;
    private final ConnectionObserver observer;
    private final Map<String, EventHandler> handlers = new ConcurrentHashMap<>();
    private final List<Consumer<Session>> greeters = new CopyOnWriteArrayList<>();
    private final List<Consumer<Session>> farewells = new CopyOnWriteArrayList<>();
    private final Map<String, ConnectionInfo> live = new ConcurrentHashMap<>();
    private final AtomicInteger localConnections = new AtomicInteger();
    private volatile Duration subscriptionWait = DEFAULT_SUBSCRIPTION_WAIT;
    private volatile RateLimiter userEvents = RateLimiter.UNLIMITED;
    private volatile PresenceNotices presenceNotices;

    public HeraldSessionHandler(String nodeId, Hub hub, PresenceRegistry presence, RoomRules rules,
                                ClientLimits limits, Clock clock, ConnectionObserver observer) {
        this.nodeId = nodeId;
        this.hub = hub;
        this.presence = presence;
        this.rules = rules;
        this.limits = limits;
        this.clock = clock;
        this.observer = observer;
        this.presenceNotices = PresenceNotices.immediate(hub, limits.presenceTeamLimit());
        on("room:join", this::joinRoom);
        on("room:leave", this::leaveRoom);
        on("subscribe", (s, event) -> subscribe(s, event.data(), true));
        on("unsubscribe", (s, event) -> subscribe(s, event.data(), false));
        on("presence:update", this::updatePresence);
    }

    /** Adds (or replaces) the handler of a client event; call before the gateway starts. */
    public HeraldSessionHandler on(String event, EventHandler handler) {
        handlers.put(event, handler);
        return this;
    }

    /** Adds a step to the greeting every ready session gets after connection_ready (e.g. pending notifications). */
    public HeraldSessionHandler onReady(Consumer<Session> greeter) {
        greeters.add(greeter);
        return this;
    }

    /** Adds a step run when a session is gone (after {@link #closed}'s own work); e.g. cancelling its timers. */
    public HeraldSessionHandler onClosed(Consumer<Session> farewell) {
        farewells.add(farewell);
        return this;
    }

    /** How long greetings and room:joined wait for the broker's confirmation; call before the gateway starts. */
    public HeraldSessionHandler confirmSubscriptionsWithin(Duration wait) {
        if (wait.isNegative()) throw new IllegalArgumentException("subscription wait must not be negative");
        this.subscriptionWait = wait;
        return this;
    }

    /**
     * Budgets client events per user across all their connections (and, with a shared limiter, all
     * nodes): an event over it is not handled and is answered {@code RATE_LIMITED} with
     * {@code retryAfter} (seconds). Call before the gateway starts.
     */
    public HeraldSessionHandler limitEventsPerUser(RateLimiter limiter) {
        this.userEvents = java.util.Objects.requireNonNull(limiter, "limiter");
        return this;
    }

    /** Who tells teams about arrivals and departures; call before the gateway starts. */
    public HeraldSessionHandler announcePresenceWith(PresenceNotices notices) {
        this.presenceNotices = java.util.Objects.requireNonNull(notices, "notices");
        return this;
    }

    /** Where departures this node learns of otherwise (a dead node's users) are announced. */
    public PresenceNotices presenceNotices() {
        return presenceNotices;
    }

    /** Sessions open on this node. */
    public int localConnections() {
        return localConnections.get();
    }

    @Override
    public void open(Session session) {
        if (localConnections.incrementAndGet() > limits.maxConnections()) {
            localConnections.decrementAndGet();
            observer.refused(ErrorCode.CONNECTION_LIMIT_REACHED);
            throw new HeraldException(ErrorCode.CONNECTION_LIMIT_REACHED, "server is at its connection limit");
        }
        Principal p = session.principal();
        ConnectionInfo info = new ConnectionInfo(session.id(), p.userId(), p.teamId(), session.transport(), nodeId, clock.instant());
        live.put(session.id(), info);
        int count;
        try {
            count = presence.register(info);
        } catch (RuntimeException e) {
            live.remove(session.id());
            localConnections.decrementAndGet();
            throw new HeraldException(ErrorCode.UNAVAILABLE, "presence registry unavailable", e);
        }
        // Eviction and the online notice are best effort: once registered, the session is admitted.
        try {
            if (count > limits.maxConnectionsPerUser()) evictOldest(p.userId(), session.id(), count - limits.maxConnectionsPerUser());
            if (count == 1) presenceNotices.online(p.teamId(), p.userId());
        } catch (RuntimeException e) {
            log.warn("could not apply the per-user cap or announce presence for socket {}", session.id(), e);
        }
        observer.connected(session);
    }

    private void evictOldest(String userId, String newcomer, int excess) {
        Set<String> victims = new java.util.HashSet<>();
        for (ConnectionInfo c : presence.connectionsOf(userId)) {
            if (victims.size() == excess) break;
            if (!c.socketId().equals(newcomer)) victims.add(c.socketId());
        }
        hub.disconnect("user:" + userId, DisconnectReason.TOO_MANY_CONNECTIONS, victims);
    }

    @Override
    public void ready(Session session) {
        Principal p = session.principal();
        List<String> rooms = rules.automaticRooms(p);
        for (String room : rooms) hub.join(session, room);
        awaitSubscriptions(session, rooms);
        String now = clock.instant().toString();
        ObjectNode hello = Json.object().put("socketId", session.id()).put("userId", p.userId())
                .put("teamId", p.teamId()).put("serverTime", now);
        session.send(new OutboundEvent("connection_ready", Json.write(hello)));
        session.send(new OutboundEvent("connected", Json.write(hello)));
        for (Consumer<Session> greeter : greeters) {
            try {
                greeter.accept(session);
            } catch (RuntimeException e) {
                log.warn("greeting step failed for socket {}", session.id(), e);
            }
        }
    }

    /**
     * Waits, on the session's virtual thread, until the broker confirmed the rooms; see the class
     * comment for what happens when it does not in time.
     */
    private void awaitSubscriptions(Session session, List<String> rooms) {
        // While the link is down nothing is confirmed before it is back, and OutageRecovery covers the session then.
        if (hub.brokerDownSince().isPresent()) return;
        Instant asked = clock.instant();
        CompletableFuture<Void> confirmed = hub.subscribed(rooms).toCompletableFuture();
        try {
            confirmed.get(subscriptionWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("the broker did not confirm {} room(s) within {} for socket {}", rooms.size(), subscriptionWait, session.id());
            // Only the user's room carries durable notifications, which a sync can bring back.
            if (!rooms.contains(LiveNotifier.userRoom(session.principal().userId()))) return;
            confirmed.thenRun(() -> {
                ObjectNode hint = Json.object().put("since", asked.minus(OutageRecovery.MARGIN).toString());
                session.send(new OutboundEvent(SYNC_HINT, Json.write(hint)));
            });
        } catch (ExecutionException e) {
            log.warn("the broker refused a subscription among {} for socket {}: {}", rooms, session.id(), e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void event(Session session, ClientEvent event) {
        EventHandler handler = handlers.get(event.name());
        // Only known names become labels: a client must not mint metric series.
        observer.received(session, handler == null ? "unknown" : event.name());
        try {
            RateLimited limited = userEvents.check(session.principal().userId(), "events");
            if (limited != null) {
                refuse(session, event, limited);
                return;
            }
            if (handler == null) throw new HeraldException(ErrorCode.INVALID_EVENT_TYPE, "unknown event '" + event.name() + "'");
            Text.requireTree("data", event.data());
            Object result = handler.handle(session, event);
            if (event.wantsAck()) event.ack().reply(Json.write(okPayload(result)));
        } catch (HeraldException e) {
            if (e.code() != ErrorCode.INTERNAL) {
                refuse(session, event, e.code(), e.getMessage());
                return;
            }
            // Herald's failure, not the client's (a store error): logged, and the cause kept from the client.
            log.error("event '{}' failed for socket {}", event.name(), session.id(), e);
            refuse(session, event, ErrorCode.INTERNAL, "internal error");
        } catch (RuntimeException e) {
            log.error("event '{}' failed for socket {}", event.name(), session.id(), e);
            refuse(session, event, ErrorCode.INTERNAL, "internal error");
        }
    }

    private static Object okPayload(Object result) {
        if (result == null) return Json.object().put("ok", true);
        // valueToTree would write a tree out to tokens and read it back in: a sync page of 50
        // notifications, answered on every reconnect, is already a tree.
        JsonNode node = result instanceof JsonNode tree ? tree : Json.MAPPER.valueToTree(result);
        if (!node.isObject()) return Json.object().put("ok", true).set("result", node);
        ObjectNode out = Json.object().put("ok", true);
        out.setAll((ObjectNode) node);
        return out;
    }

    private static void refuse(Session session, ClientEvent event, ErrorCode code, String message) {
        if (event.wantsAck()) {
            event.ack().reply(Json.write(Json.error(code, message)));
        } else {
            ObjectNode err = Json.object().put("code", code.name()).put("message", message).put("event", event.name());
            session.send(new OutboundEvent("error", Json.write(err)));
        }
    }

    private static void refuse(Session session, ClientEvent event, RateLimited limited) {
        ObjectNode err = Json.object().put("code", limited.code().name()).put("message", limited.getMessage())
                .put("retryAfter", limited.retryAfterSeconds());
        if (event.wantsAck()) {
            event.ack().reply(Json.write(Json.object().set("error", err)));
        } else {
            session.send(new OutboundEvent("error", Json.write(err.put("event", event.name()))));
        }
    }

    @Override
    public void closed(Session session, DisconnectReason reason) {
        hub.leaveAll(session);
        for (Consumer<Session> farewell : farewells) {
            try {
                farewell.accept(session);
            } catch (RuntimeException e) {
                log.warn("closing step failed for socket {}", session.id(), e);
            }
        }
        ConnectionInfo info = live.remove(session.id());
        if (info == null) return;
        localConnections.decrementAndGet();
        Principal p = session.principal();
        try {
            if (presence.unregister(info) == 0) presenceNotices.offline(p.teamId(), p.userId());
        } catch (RuntimeException e) {
            log.warn("could not unregister socket {} from presence", session.id(), e);
        }
        observer.disconnected(session, reason, Duration.between(info.connectedAt(), clock.instant()));
    }

    /**
     * Registers every live session of this node again, after the registry may have forgotten them
     * (a lapsed node heartbeat, a registry restart). Registration is idempotent.
     */
    public void reregisterAll() {
        for (ConnectionInfo info : live.values()) presence.register(info);
    }

    /** The users with at least one session open on this node. */
    public Set<String> localUsers() {
        Set<String> users = new java.util.HashSet<>();
        for (ConnectionInfo info : live.values()) users.add(info.userId());
        return users;
    }

    @Override
    public void transportChanged(Session session) {
        ConnectionInfo before = live.get(session.id());
        if (before == null || before.transport() == session.transport()) return;
        ConnectionInfo after = before.withTransport(session.transport());
        live.put(session.id(), after);
        presence.update(after);
        observer.transportChanged(session, before.transport());
    }

    // ---- built-in events -------------------------------------------------------------------

    private static String roomArg(JsonNode data) {
        JsonNode room = data.isTextual() ? data : data.path("room");
        if (!room.isTextual()) throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "room is required (a string, or {room})");
        return room.asText();
    }

    private Object joinRoom(Session session, ClientEvent event) {
        String room = roomArg(event.data());
        rules.checkJoin(session.principal(), room);
        hub.join(session, room);
        awaitSubscriptions(session, List.of(room));
        session.send(new OutboundEvent("room:joined", Json.write(room)));
        return Json.object().put("room", room);
    }

    private Object leaveRoom(Session session, ClientEvent event) {
        String room = roomArg(event.data());
        if (rules.isAutomatic(session.principal(), room)) {
            throw new HeraldException(ErrorCode.FORBIDDEN, room + " is joined automatically and cannot be left");
        }
        if (!hub.leave(session, room)) throw new HeraldException(ErrorCode.ROOM_NOT_FOUND, "not in room " + room);
        session.send(new OutboundEvent("room:left", Json.write(room)));
        return Json.object().put("room", room);
    }

    private Object subscribe(Session session, JsonNode data, boolean join) {
        JsonNode list = data.isObject() ? data.path("channels") : data;
        List<String> channels = new ArrayList<>();
        if (list.isTextual()) channels.add(list.asText());
        else if (list.isArray()) list.forEach(c -> channels.add(c.asText()));
        if (channels.isEmpty() || channels.stream().anyMatch(String::isBlank)) {
            throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "channels must be a non-empty list of names");
        }
        for (String channel : channels) rules.checkJoin(session.principal(), "channel:" + channel);
        List<String> rooms = channels.stream().map(c -> "channel:" + c).toList();
        for (String room : rooms) {
            if (join) hub.join(session, room);
            else hub.leave(session, room);
        }
        if (join) awaitSubscriptions(session, rooms);
        ObjectNode out = Json.object();
        out.putArray("channels").addAll(channels.stream().map(Json.MAPPER.getNodeFactory()::textNode).toList());
        return out;
    }

    private Object updatePresence(Session session, ClientEvent event) {
        JsonNode data = event.data();
        JsonNode raw = data.isTextual() ? data : data.path("status");
        PresenceStatus status = PresenceStatus.parse(raw.isTextual() ? raw.asText() : null).orElseThrow(() ->
                new HeraldException(ErrorCode.INVALID_ARGUMENT, "status must be one of online, away, busy, offline"));
        Principal p = session.principal();
        presence.setStatus(p.userId(), status);
        if (p.teamId() != null) {
            ObjectNode change = Json.object().put("userId", p.userId()).put("status", status.wireName());
            hub.emit("team:" + p.teamId(), "presence:user:status", Json.write(change), Set.of(p.userId()));
        }
        return Json.object().put("status", status.wireName());
    }
}
