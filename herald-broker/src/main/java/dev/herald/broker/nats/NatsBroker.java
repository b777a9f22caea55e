package dev.herald.broker.nats;

import dev.herald.broker.RoomMessageCodec;
import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.route.Broker;
import dev.herald.core.route.BrokerListener;
import dev.herald.core.route.RoomMessage;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Broker} over core NATS: room {@code r} is the subject {@code <prefix><token(r)>}
 * (prefix {@value #DEFAULT_PREFIX} by default), payloads in {@link RoomMessageCodec}'s form.
 * Room names become one valid subject token: {@code A-Z a-z 0-9 - _ :} stay as they are, every
 * other UTF-8 byte (dots, spaces, wildcards, {@code ~}) becomes {@code ~XX}, and the empty room is
 * {@code ~}. So {@code team:1} travels on {@code herald.room.team:1}.
 *
 * <p>Threading: {@link #subscribe}/{@link #unsubscribe} only queue a SUB/UNSUB in jnats' outgoing
 * queue (never block), under a per-room lock, so one room's commands leave in call order; a
 * subscription is confirmed by a flush on a virtual thread. The
 * listener runs on this broker's jnats dispatcher thread, one message after the other.
 *
 * <p>Publish is core NATS, fire-and-forget: its stage completes once the message is in jnats'
 * outgoing queue, as the port promises (handed to the transport), not on a server ack. After a
 * reconnect jnats re-sends every subscription; messages published while a node was away are lost,
 * as with Redis pub/sub.
 *
 * <p>Link state: jnats' DISCONNECTED takes the link down ({@link BrokerListener#linkDown} with the
 * detection time) and {@link #publish} then fails at once with {@code BROKER_UNAVAILABLE} instead
 * of filling jnats' reconnect buffer (whose messages would reach whichever nodes happened to be
 * re-subscribed first). After RECONNECTED or RESUBSCRIBED, a flush (a PING the server answers
 * after every SUB jnats re-sent) brings it up ({@link BrokerListener#linkUp}). Link reports run on
 * jnats' connection-event thread or a short-lived virtual thread, one at a time.
 *
 * <p>The connection is given by the composition root ({@link NatsConfig#connect()}) and closed by it.
 */
public final class NatsBroker implements Broker {
    public static final String DEFAULT_PREFIX = "herald.room.";
    private static final Logger log = LoggerFactory.getLogger(NatsBroker.class);
    private static final CompletionStage<Void> CONFIRMED = CompletableFuture.<Void>completedFuture(null).minimalCompletionStage();

    private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(5);

    private final Connection connection;
    private final Clock clock;
    private final String prefix;
    private final Object link = new Object();
    private final ConnectionListener watch = this::connectionEvent;
    private volatile boolean down;
    private volatile boolean closing;
    private final Set<String> rooms = ConcurrentHashMap.newKeySet();
    /** SUBs whose flush has not come back yet, by room. */
    private final Map<String, CompletableFuture<Void>> unconfirmed = new ConcurrentHashMap<>();
    private final Object flushes = new Object();
    private final List<CompletableFuture<Void>> awaitingFlush = new ArrayList<>();
    private boolean flushing;
    private final Object[] roomLocks = new Object[64];
    private final AtomicLong malformed = new AtomicLong();
    private volatile Dispatcher dispatcher;
    private volatile BrokerListener listener;

    public NatsBroker(Connection connection, String prefix, Clock clock) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        if (!prefix.isEmpty() && !prefix.endsWith(".")) throw new IllegalArgumentException("NATS subject prefix must end with '.'");
        for (int i = 0; i < roomLocks.length; i++) roomLocks[i] = new Object();
    }

    public NatsBroker(Connection connection, String prefix) {
        this(connection, prefix, Clock.systemUTC());
    }

    public NatsBroker(Connection connection) {
        this(connection, DEFAULT_PREFIX);
    }

    @Override
    public void start(BrokerListener listener) {
        if (this.listener != null) throw new IllegalStateException("NatsBroker already started");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.dispatcher = connection.createDispatcher(this::deliver);
        connection.addConnectionListener(watch);
    }

    private void connectionEvent(Connection conn, ConnectionListener.Events event) {
        switch (event) {
            case DISCONNECTED -> markDown();
            case RECONNECTED, RESUBSCRIBED -> {
                if (down) Thread.ofVirtual().name("herald-nats-link").start(this::confirmUp);
            }
            default -> { }
        }
    }

    private void markDown() {
        BrokerListener l = listener;
        if (closing || l == null) return;
        synchronized (link) {
            if (down) return;
            down = true;
            log.warn("NATS broker link down: room messages are refused until the connection is back");
            tell(() -> l.linkDown(clock.instant()));
        }
    }

    /** The server answers the flush's PING after the SUBs jnats re-sent, so our rooms are subscribed again. */
    private void confirmUp() {
        try {
            connection.flush(FLUSH_TIMEOUT);
        } catch (java.util.concurrent.TimeoutException | RuntimeException e) {
            return; // still away; the next RECONNECTED tries again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        BrokerListener l = listener;
        if (closing || l == null || connection.getStatus() != Connection.Status.CONNECTED) return;
        synchronized (link) {
            if (!down) return;
            down = false;
            log.info("NATS broker link back");
            tell(l::linkUp);
        }
    }

    private static void tell(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.error("Broker listener failed on a link change", e);
        }
    }

    private void deliver(Message msg) {
        BrokerListener l = listener;
        String subject = msg.getSubject();
        if (l == null || !subject.startsWith(prefix)) return;
        String room;
        RoomMessage message;
        try {
            room = roomOf(subject.substring(prefix.length()));
            message = RoomMessageCodec.decode(new String(msg.getData(), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            malformed.incrementAndGet();
            log.warn("Dropped a malformed room message on {} ({} bytes): {}", subject, msg.getData().length, e.getMessage());
            return;
        }
        if (!rooms.contains(room)) return;
        try {
            l.onMessage(room, message);
        } catch (RuntimeException e) {
            log.error("Broker listener failed for room {}", room, e);
        }
    }

    /**
     * Completes once the server answered a PING sent after the SUB (it handles a connection's
     * commands in order), on a virtual thread of this broker; a repeated call answers the pending
     * confirmation. Fails with {@code BROKER_UNAVAILABLE} when the PING is not answered within
     * {@link #FLUSH_TIMEOUT} (the server is away); jnats still sends the SUB when it reconnects.
     */
    @Override
    public CompletionStage<Void> subscribe(String room) {
        Dispatcher d = requireStarted();
        synchronized (lockFor(room)) {
            if (!rooms.add(room)) {
                CompletableFuture<Void> pending = unconfirmed.get(room);
                return pending == null ? CONFIRMED : pending.minimalCompletionStage();
            }
            d.subscribe(subjectOf(room));
            CompletableFuture<Void> confirmed = new CompletableFuture<>();
            unconfirmed.put(room, confirmed);
            confirmed.whenComplete((ok, error) -> unconfirmed.remove(room, confirmed));
            confirmAfterFlush(confirmed);
            return confirmed.minimalCompletionStage();
        }
    }

    /**
     * Queues the confirmation behind a flush that starts after the SUB was queued. One flusher
     * thread at most: subscriptions that arrive while a flush is out wait for the next one, so a
     * burst of joins costs a few round trips, not one thread each.
     */
    private void confirmAfterFlush(CompletableFuture<Void> confirmed) {
        synchronized (flushes) {
            awaitingFlush.add(confirmed);
            if (flushing) return;
            flushing = true;
        }
        Thread.ofVirtual().name("herald-nats-subscribe").start(this::flushUntilConfirmed);
    }

    private void flushUntilConfirmed() {
        while (true) {
            List<CompletableFuture<Void>> batch;
            synchronized (flushes) {
                if (awaitingFlush.isEmpty()) {
                    flushing = false;
                    return;
                }
                batch = List.copyOf(awaitingFlush);
                awaitingFlush.clear();
            }
            HeraldException failure = null;
            try {
                connection.flush(FLUSH_TIMEOUT);
            } catch (java.util.concurrent.TimeoutException | RuntimeException e) {
                failure = new HeraldException(ErrorCode.BROKER_UNAVAILABLE, "NATS did not confirm the subscription: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = new HeraldException(ErrorCode.BROKER_UNAVAILABLE, "interrupted while confirming a subscription", e);
            }
            for (CompletableFuture<Void> f : batch) {
                if (failure == null) f.complete(null);
                else f.completeExceptionally(failure);
            }
        }
    }

    @Override
    public void unsubscribe(String room) {
        Dispatcher d = requireStarted();
        synchronized (lockFor(room)) {
            if (rooms.remove(room)) d.unsubscribe(subjectOf(room));
        }
    }

    private Object lockFor(String room) {
        return roomLocks[(room.hashCode() & 0x7fffffff) % roomLocks.length];
    }

    @Override
    public CompletionStage<Void> publish(String room, RoomMessage message) {
        if (down || connection.getStatus() != Connection.Status.CONNECTED) {
            return CompletableFuture.failedFuture(new HeraldException(ErrorCode.BROKER_UNAVAILABLE, "the NATS link is down"));
        }
        try {
            connection.publish(subjectOf(room), RoomMessageCodec.encode(message).getBytes(StandardCharsets.UTF_8));
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new HeraldException(ErrorCode.BROKER_UNAVAILABLE, "NATS did not take the message: " + e.getMessage(), e));
        }
    }

    public String subjectOf(String room) {
        return prefix + token(room);
    }

    /** The rooms this node asked to be subscribed to. */
    public Set<String> rooms() {
        return Set.copyOf(rooms);
    }

    public long malformedCount() {
        return malformed.get();
    }

    private Dispatcher requireStarted() {
        Dispatcher d = dispatcher;
        if (d == null) throw new IllegalStateException("NatsBroker not started");
        return d;
    }

    @Override
    public void close() {
        closing = true;
        connection.removeConnectionListener(watch);
        listener = null;
        Dispatcher d = dispatcher;
        dispatcher = null;
        if (d != null && connection.getStatus() != Connection.Status.CLOSED) connection.closeDispatcher(d);
    }

    /** Encodes a room name as one NATS subject token (see the class comment). */
    public static String token(String room) {
        if (room.isEmpty()) return "~";
        StringBuilder sb = null;
        for (int i = 0; i < room.length(); i++) {
            char c = room.charAt(i);
            if (!plain(c)) {
                sb = new StringBuilder(room.length() + 16).append(room, 0, i);
                byte[] rest = room.substring(i).getBytes(StandardCharsets.UTF_8);
                for (byte b : rest) {
                    char ch = (char) (b & 0xff);
                    if (b >= 0 && plain(ch)) sb.append(ch);
                    else sb.append('~').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
                }
                break;
            }
        }
        return sb == null ? room : sb.toString();
    }

    /** The inverse of {@link #token}; throws IllegalArgumentException for a token it did not make. */
    public static String roomOf(String token) {
        if (token.equals("~")) return "";
        ByteArrayOutputStream out = new ByteArrayOutputStream(token.length());
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '~') {
                if (i + 2 >= token.length()) throw new IllegalArgumentException("truncated escape in subject token");
                int hi = Character.digit(token.charAt(i + 1), 16), lo = Character.digit(token.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) throw new IllegalArgumentException("bad escape in subject token");
                out.write(hi << 4 | lo);
                i += 2;
            } else if (plain(c)) {
                out.write(c);
            } else {
                throw new IllegalArgumentException("unexpected character in subject token");
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean plain(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == ':';
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
}
