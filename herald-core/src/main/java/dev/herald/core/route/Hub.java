package dev.herald.core.route;

import dev.herald.core.deliver.live.DisconnectReason;
import dev.herald.core.deliver.live.OutboundEvent;
import dev.herald.core.deliver.live.Session;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which sessions are in which room on this node, and fan-out to them. Emitting to a room goes
 * through the {@link Broker}, which brings it back to every node with members in the room (this
 * one included); the hub subscribes the node to a room when its first local member joins and
 * unsubscribes when the last one leaves. Joining is immediate on this node, but messages from other
 * nodes flow only once the broker confirmed the subscription: {@link #subscribed} says when, so
 * whoever tells a client it is in a room can wait for it first.
 *
 * <p>The hub also keeps the broker's link state ({@link #brokerDownSince}) and passes its changes on
 * to {@link LinkObserver}s, which recover what an outage lost.
 *
 * <p>Threading: thread-safe and non-blocking; fan-out runs on the broker's thread and only hands
 * frames on, through the {@link FanOut} ({@link Session#send} never blocks).
 */
public final class Hub implements BrokerListener {
    /**
     * Told when the broker's link changes, on the broker's thread, in the order the changes
     * happened: must not block (hand slow work to another thread).
     */
    public interface LinkObserver {
        void linkDown(Instant since);

        /** @param downSince the start of the outage that just ended, as given to {@link #linkDown} */
        void linkUp(Instant downSince);
    }

    /**
     * Hears every emit to this node's sockets, whatever path it came by (the real-time API, the
     * inbox, Redis ingest, a broadcast): the event, the JSON's length in chars, how many sessions
     * accepted the frame and how many refused it (closed or dropped). On the emitting thread; must
     * be cheap and never throw.
     */
    @FunctionalInterface
    public interface EmitObserver {
        EmitObserver NONE = (event, jsonChars, accepted, refused) -> {};

        void emitted(String event, int jsonChars, int accepted, int refused);
    }

    private static final Logger log = LoggerFactory.getLogger(Hub.class);
    private static final CompletionStage<Void> CONFIRMED = CompletableFuture.<Void>completedFuture(null).minimalCompletionStage();

    /**
     * The room every node subscribes to at start, for broadcasts to every client: clients cannot
     * join it ({@link RoomRules} knows no {@code broadcast:} rooms), and its members are all the
     * node's sessions, so it costs no per-session bookkeeping.
     */
    public static final String EVERYONE = "broadcast:all";

    private final Broker broker;
    private final RoomDirectory directory;
    private final List<LinkObserver> linkObservers = new CopyOnWriteArrayList<>();
    private volatile Instant downSince;
    private volatile EmitObserver emitObserver = EmitObserver.NONE;
    private volatile FanOut fanOut = FanOut.direct();
    /** The local members of each room, as {@link SmallSets} (immutable while small, concurrent when large). */
    private final Map<String, Set<Session>> members = new ConcurrentHashMap<>();
    /**
     * Each session's rooms as an immutable set, replaced on change: a session is in a handful of
     * rooms and changes them rarely, and a concurrent set per session would cost ~200 bytes of
     * heap on every idle connection (bench/RESULTS.md, heap per connection).
     */
    private final Map<Session, Set<String>> roomsBySession = new ConcurrentHashMap<>();
    /** Rooms this node listens to without a session in them (ack reply rooms), with their listener. */
    private final Map<String, Consumer<RoomMessage>> listeners = new ConcurrentHashMap<>();
    /** Subscriptions the broker has not confirmed yet, by room; an entry lives for one round trip. */
    private final Map<String, CompletableFuture<Void>> unconfirmed = new ConcurrentHashMap<>();

    public Hub(Broker broker) {
        this(broker, new dev.herald.core.memory.MemoryRoomDirectory());
    }

    /** @param directory told of every join and leave of rooms the presence registry does not count */
    public Hub(Broker broker, RoomDirectory directory) {
        this.broker = broker;
        this.directory = directory;
    }

    /** The cluster-wide membership of rooms other than {@code user:} and {@code team:} ones. */
    public RoomDirectory directory() {
        return directory;
    }

    /** {@code user:} and {@code team:} rooms are counted by the presence registry, not the {@link RoomDirectory}. */
    public static boolean countedByPresence(String room) {
        return room.startsWith("user:") || room.startsWith("team:");
    }

    /** Sets the one observer of local emits (metrics); call before the gateway starts. */
    public Hub onEmit(EmitObserver observer) {
        this.emitObserver = observer;
        return this;
    }

    /** Sets how local emits reach their sessions (the gateway's event loops); call before the gateway starts. */
    public Hub fanOut(FanOut fanOut) {
        this.fanOut = fanOut;
        return this;
    }

    /** This node's fan-out backlog: what was handed to event loops and not yet written, and its bound. */
    public FanOutBacklog backlog() {
        return fanOut.backlog();
    }

    /** How many local sessions an emit to the room would reach on this node, before exclusions; O(1). */
    public int localFanOut(String room) {
        return EVERYONE.equals(room) ? roomsBySession.size() : localMemberCount(room);
    }

    /** Adds an observer of the broker's link; it hears the changes from now on. */
    public Hub onLinkChange(LinkObserver observer) {
        linkObservers.add(observer);
        return this;
    }

    /** When the broker's link went down, while it is down; empty while it is up. */
    public Optional<Instant> brokerDownSince() {
        return Optional.ofNullable(downSince);
    }

    @Override
    public void linkDown(Instant since) {
        synchronized (linkObservers) {
            if (downSince != null) return;
            downSince = since;
            tellObservers(o -> o.linkDown(since));
        }
    }

    @Override
    public void linkUp() {
        synchronized (linkObservers) {
            Instant since = downSince;
            if (since == null) return;
            downSince = null;
            tellObservers(o -> o.linkUp(since));
        }
    }

    private void tellObservers(Consumer<LinkObserver> call) {
        for (LinkObserver o : linkObservers) {
            try {
                call.accept(o);
            } catch (RuntimeException e) {
                log.error("broker link observer {} failed", o.getClass().getSimpleName(), e);
            }
        }
    }

    /** Starts listening to the broker; call once before the first join. */
    public void start() {
        broker.start(this);
        track(EVERYONE, broker.subscribe(EVERYONE));
    }

    /**
     * Tells the directory again about every local member, after the cluster registry lost them
     * (Redis restarted empty, or the other nodes purged this one while it could not beat).
     */
    public void restoreDirectory() {
        members.forEach((room, sessions) -> {
            if (countedByPresence(room)) return;
            for (Session s : sessions) directory.joined(room, s.id(), s.principal().userId());
        });
    }

    /** Adds the session to the room; returns false if it was already there. */
    public boolean join(Session session, String room) {
        boolean[] added = {false};
        roomsBySession.compute(session, (s, rooms) -> {
            if (rooms != null && rooms.contains(room)) return rooms;
            added[0] = true;
            return SmallSets.plus(rooms, room);
        });
        if (!added[0]) return false;
        members.compute(room, (r, set) -> {
            if (set == null) track(r, broker.subscribe(r));
            if (!countedByPresence(r)) directory.joined(r, session.id(), session.principal().userId());
            return SmallSets.withMember(set, session);
        });
        return true;
    }

    private void track(String room, CompletionStage<Void> subscription) {
        CompletableFuture<Void> f = subscription.toCompletableFuture();
        if (f.isDone() && !f.isCompletedExceptionally()) return;
        unconfirmed.put(room, f);
        f.whenComplete((ok, error) -> {
            unconfirmed.remove(room, f);
            if (error != null) log.warn("the broker did not confirm the subscription to {}: {}", room, error.toString());
        });
    }

    /**
     * Completes once this node's subscription to the room is confirmed by the broker, so that a
     * message any node publishes to the room from then on reaches its local members: at once when
     * it already is, or when the room has no member here. Fails as {@link Broker#subscribe} failed.
     * Completion runs on the broker's thread (or the caller's): don't block in what you chain on it.
     */
    public CompletionStage<Void> subscribed(String room) {
        CompletableFuture<Void> f = unconfirmed.get(room);
        return f == null ? CONFIRMED : f.minimalCompletionStage();
    }

    /** {@link #subscribed} for several rooms at once. */
    public CompletionStage<Void> subscribed(Collection<String> rooms) {
        List<CompletableFuture<Void>> pending = new ArrayList<>(rooms.size());
        for (String room : rooms) {
            CompletableFuture<Void> f = unconfirmed.get(room);
            if (f != null) pending.add(f);
        }
        if (pending.isEmpty()) return CONFIRMED;
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).minimalCompletionStage();
    }

    /** Removes the session from the room; returns false if it was not there. */
    public boolean leave(Session session, String room) {
        boolean[] removed = {false};
        roomsBySession.computeIfPresent(session, (s, rooms) -> {
            if (!rooms.contains(room)) return rooms;
            removed[0] = true;
            return SmallSets.minus(rooms, room);
        });
        if (!removed[0]) return false;
        removeMember(room, session);
        return true;
    }

    /** Removes the session from every room; call when it closes. */
    public void leaveAll(Session session) {
        Set<String> rooms = roomsBySession.remove(session);
        if (rooms == null) return;
        for (String room : rooms) removeMember(room, session);
    }

    private void removeMember(String room, Session session) {
        members.computeIfPresent(room, (r, set) -> {
            if (!set.contains(session)) return set;
            Set<Session> rest = SmallSets.withoutMember(set, session);
            if (!countedByPresence(r)) directory.left(r, session.id(), rest == null);
            if (rest == null) broker.unsubscribe(r);
            return rest;
        });
    }

    public Set<String> roomsOf(Session session) {
        Set<String> rooms = roomsBySession.get(session);
        return rooms == null ? Set.of() : rooms;
    }

    /** How many members a room has on this node; O(1), no copy. */
    public int localMemberCount(String room) {
        Set<Session> set = members.get(room);
        return set == null ? 0 : set.size();
    }

    /** How many rooms have members on this node. */
    public int localRoomCount() {
        return members.size();
    }

    /** A snapshot of every room with members on this node and how many; O(rooms), for scrapes. */
    public Map<String, Integer> localRoomSizes() {
        Map<String, Integer> sizes = new java.util.HashMap<>();
        members.forEach((room, set) -> {
            int n = set.size();
            if (n > 0) sizes.put(room, n);
        });
        return sizes;
    }

    /** The members of a room on this node only. */
    public List<Session> localMembers(String room) {
        Set<Session> set = members.get(room);
        return set == null ? List.of() : List.copyOf(set);
    }

    /** Emits to every member of the room on every node, except sessions of the excluded users. */
    public CompletionStage<Void> emit(String room, String event, String json, Set<String> excludeUserIds) {
        return broker.publish(room, new RoomMessage.Emit(event, json, excludeUserIds));
    }

    /** Disconnects every member of the room on every node, telling them the reason. */
    public CompletionStage<Void> disconnect(String room, String reason) {
        return broker.publish(room, new RoomMessage.Disconnect(reason));
    }

    /** Disconnects the given sockets of the room (wherever they are), telling them the reason. */
    public CompletionStage<Void> disconnect(String room, DisconnectReason reason, Set<String> socketIds) {
        return broker.publish(room, new RoomMessage.Disconnect(reason, socketIds));
    }

    /** Emits to every client on every node, except sessions of the excluded users. */
    public CompletionStage<Void> emitToEveryone(String event, String json, Set<String> excludeUserIds) {
        return broker.publish(EVERYONE, new RoomMessage.Emit(event, json, excludeUserIds));
    }

    /** Emits to the local members of a room only; returns how many sessions accepted it. */
    public int emitLocal(String room, OutboundEvent event, Set<String> excludeUserIds) {
        Collection<Session> set = EVERYONE.equals(room) ? roomsBySession.keySet() : members.get(room);
        if (set == null) return 0;
        List<Session> targets = new ArrayList<>(set.size());
        for (Session s : set) {
            if (!excludeUserIds.isEmpty() && excludeUserIds.contains(s.principal().userId())) continue;
            targets.add(s);
        }
        if (targets.isEmpty()) return 0;
        int sent = fanOut.deliver(targets, event);
        try {
            emitObserver.emitted(event.name(), event.json().length(), sent, targets.size() - sent);
        } catch (RuntimeException e) {
            log.warn("emit observer failed", e);
        }
        return sent;
    }

    /**
     * Subscribes this node to a room no session is in and hands its messages to {@code listener}
     * (on the broker's thread: must not block), until {@link #unlisten}. The stage completes once
     * the subscription is confirmed. Used for the replies of a broadcast with acks.
     */
    public CompletionStage<Void> listen(String room, Consumer<RoomMessage> listener) {
        listeners.put(room, listener);
        CompletionStage<Void> subscription = broker.subscribe(room);
        track(room, subscription);
        return subscribed(room);
    }

    public void unlisten(String room) {
        if (listeners.remove(room) != null) broker.unsubscribe(room);
    }

    /** Emits to every member of the room on every node, asking each for an ack; the nodes report to {@code replyRoom}. */
    public CompletionStage<Void> emitWithAck(String room, String event, String json, Set<String> excludeUserIds,
                                             String replyRoom, java.time.Duration timeout) {
        return broker.publish(room, new RoomMessage.EmitWithAck(event, json, excludeUserIds, replyRoom, timeout.toMillis()));
    }

    @Override
    public void onMessage(String room, RoomMessage message) {
        Consumer<RoomMessage> listener = listeners.get(room);
        if (listener != null) {
            listener.accept(message);
            return;
        }
        switch (message) {
            case RoomMessage.Emit emit -> emitLocal(room, new OutboundEvent(emit.event(), emit.json()), emit.excludeUserIds());
            case RoomMessage.Disconnect d -> {
                for (Session s : EVERYONE.equals(room) ? List.copyOf(roomsBySession.keySet()) : localMembers(room)) {
                    if (d.socketIds().isEmpty() || d.socketIds().contains(s.id())) s.close(d.reason());
                }
            }
            case RoomMessage.EmitWithAck e -> LocalAcks.gather(broker,
                    EVERYONE.equals(room) ? List.copyOf(roomsBySession.keySet()) : localMembers(room), e);
            case RoomMessage.Acks a -> log.debug("ignored acks that reached {} after their request ended", room);
        }
    }
}
