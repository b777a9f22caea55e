package dev.herald.broker.redis;

import dev.herald.broker.RoomMessageCodec;
import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.route.Broker;
import dev.herald.core.route.BrokerListener;
import dev.herald.core.route.RoomMessage;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Broker} over Redis pub/sub: room {@code r} is the channel {@code <prefix>room:r}
 * (prefix {@value #DEFAULT_PREFIX} by default), and messages travel in {@link RoomMessageCodec}'s
 * form.
 *
 * <p>Connections: one pub/sub connection carries this node's subscriptions, one command
 * connection carries its publications; both are opened by {@link #start}.
 *
 * <p>Threading: {@link #subscribe}/{@link #unsubscribe} never block (they are called inside the
 * hub's per-room lock): each only queues a SUBSCRIBE/UNSUBSCRIBE on the pub/sub connection, under a
 * per-room lock of its own, so the commands for one room reach Redis in call order. The stage
 * {@code subscribe} returns completes on Redis' reply, which Redis sends once the channel is
 * subscribed: a PUBLISH any client makes after that reaches this node. Redis answers
 * a repeated SUBSCRIBE without adding a second subscription, and this class sends nothing for a
 * call that does not change the node's set of rooms. The listener runs on Lettuce's I/O thread,
 * one message after the other, in the order Redis delivers them.
 *
 * <p>Reconnects: Lettuce re-subscribes the confirmed channels when it reconnects, then sends what
 * was issued during the outage (see {@link RedisConnector}); a SUBSCRIBE or UNSUBSCRIBE that was in
 * flight when the socket broke is failed by Lettuce, so this class sends it again while it still
 * reflects the wanted state. Messages published while this node was disconnected are lost, as
 * Redis pub/sub keeps no history: durable delivery is the store's job.
 *
 * <p>Link state: the link goes down when either connection drops or a publication fails for any
 * reason but a Redis error reply (a timeout: Redis hung); the listener hears
 * {@link BrokerListener#linkDown} with the detection time minus the command timeout (a publication
 * that was in flight that long may have been lost). While down, {@link #publish} fails at once with
 * {@code BROKER_UNAVAILABLE}. Once both connections are back, a probe is published every
 * {@value #PROBE_MILLIS} ms on this node's private channel, which was subscribed at start; Lettuce
 * re-subscribes every confirmed channel in one SUBSCRIBE, so the probe coming back through the
 * subscription proves the node's rooms are subscribed again, and only then is the link up
 * ({@link BrokerListener#linkUp}). Without this, a publication made between Redis returning and
 * the re-subscription would be answered as a success and reach nobody. Link reports run on
 * Lettuce's threads, one at a time.
 */
public final class RedisBroker implements Broker {
    public static final String DEFAULT_PREFIX = "herald:";
    private static final Duration RETRY_DELAY = Duration.ofMillis(100);
    static final long PROBE_MILLIS = 100;
    private static final Logger log = LoggerFactory.getLogger(RedisBroker.class);
    private static final CompletionStage<Void> CONFIRMED = CompletableFuture.<Void>completedFuture(null).minimalCompletionStage();

    private final RedisConnector connector;
    private final Clock clock;
    private final String channelPrefix;
    private final String probeChannel;
    private final Object link = new Object();
    private final AtomicLong refused = new AtomicLong();
    private Instant downSince;
    private volatile boolean down;
    private volatile boolean subscriberConnected = true;
    private volatile boolean publisherConnected = true;
    private volatile boolean closing;
    private ScheduledFuture<?> probes;
    private final Set<String> rooms = ConcurrentHashMap.newKeySet();
    /** SUBSCRIBEs Redis has not answered yet, by room. */
    private final Map<String, CompletableFuture<Void>> unconfirmed = new ConcurrentHashMap<>();
    private final Object[] roomLocks = new Object[64];
    private final AtomicLong malformed = new AtomicLong();
    private volatile StatefulRedisPubSubConnection<String, String> subscriber;
    private volatile StatefulRedisConnection<String, String> publisher;
    private volatile BrokerListener listener;

    /** @param prefix key prefix shared by Herald's Redis keys, e.g. {@code herald:} */
    public RedisBroker(RedisConnector connector, String prefix, Clock clock) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(prefix, "prefix");
        this.channelPrefix = prefix + "room:";
        this.probeChannel = prefix + "link:" + UUID.randomUUID();
        for (int i = 0; i < roomLocks.length; i++) roomLocks[i] = new Object();
    }

    public RedisBroker(RedisConnector connector, String prefix) {
        this(connector, prefix, Clock.systemUTC());
    }

    public RedisBroker(RedisConnector connector) {
        this(connector, DEFAULT_PREFIX);
    }

    /** Opens both connections; throws {@link dev.herald.core.HeraldException} (UNAVAILABLE) when Redis is unreachable. */
    @Override
    public void start(BrokerListener listener) {
        if (this.listener != null) throw new IllegalStateException("RedisBroker already started");
        this.listener = Objects.requireNonNull(listener, "listener");
        StatefulRedisPubSubConnection<String, String> sub = connector.connectPubSub();
        sub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                deliver(channel, message);
            }
        });
        StatefulRedisConnection<String, String> pub;
        try {
            pub = connector.connectCommands();
        } catch (RuntimeException e) {
            sub.close();
            this.listener = null;
            throw e;
        }
        try {
            sub.async().subscribe(probeChannel).get(connector.config().commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            sub.close();
            pub.close();
            this.listener = null;
            throw new HeraldException(ErrorCode.UNAVAILABLE, "Redis did not confirm the broker's probe subscription: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sub.close();
            pub.close();
            this.listener = null;
            throw new HeraldException(ErrorCode.UNAVAILABLE, "interrupted while subscribing", e);
        }
        sub.addListener(new LinkWatch(true));
        pub.addListener(new LinkWatch(false));
        this.publisher = pub;
        this.subscriber = sub;
    }

    /** Follows one of the two connections; Lettuce calls it on its I/O threads. */
    private final class LinkWatch implements RedisConnectionStateListener {
        private final boolean subscriberSide;

        LinkWatch(boolean subscriberSide) {
            this.subscriberSide = subscriberSide;
        }

        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            if (subscriberSide) subscriberConnected = false;
            else publisherConnected = false;
            markDown((subscriberSide ? "subscription" : "publishing") + " connection lost");
        }

        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
            if (subscriberSide) subscriberConnected = true;
            else publisherConnected = true;
        }
    }

    private void markDown(String why) {
        BrokerListener l = listener;
        if (closing || l == null) return;
        synchronized (link) {
            if (down) return;
            down = true;
            downSince = clock.instant().minus(connector.config().commandTimeout());
            refused.set(0);
            log.warn("Redis broker link down ({}): room messages are refused until the node's subscriptions are back", why);
            probes = connector.scheduler().scheduleWithFixedDelay(this::probe, PROBE_MILLIS, PROBE_MILLIS, TimeUnit.MILLISECONDS);
            tell(() -> l.linkDown(downSince));
        }
    }

    private void markUp() {
        BrokerListener l = listener;
        if (closing || l == null) return;
        synchronized (link) {
            if (!down) return;
            down = false;
            if (probes != null) probes.cancel(false);
            probes = null;
            log.info("Redis broker link back (down since {}); {} room message(s) were refused meanwhile", downSince, refused.get());
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

    /** While down: once both connections are back, ask Redis to send something through our subscription. */
    private void probe() {
        StatefulRedisConnection<String, String> pub = publisher;
        if (pub == null || !subscriberConnected || !publisherConnected) return;
        pub.async().publish(probeChannel, "probe");
    }

    private void deliver(String channel, String frame) {
        BrokerListener l = listener;
        if (l == null) return;
        if (channel.equals(probeChannel)) {
            markUp();
            return;
        }
        if (!channel.startsWith(channelPrefix)) return;
        String room = channel.substring(channelPrefix.length());
        // A message can still arrive between our UNSUBSCRIBE and Redis acting on it.
        if (!rooms.contains(room)) return;
        RoomMessage message;
        try {
            message = RoomMessageCodec.decode(frame);
        } catch (IllegalArgumentException e) {
            malformed.incrementAndGet();
            log.warn("Dropped a malformed room message on {} ({} chars): {}", channel, frame.length(), e.getMessage());
            return;
        }
        try {
            l.onMessage(room, message);
        } catch (RuntimeException e) {
            log.error("Broker listener failed for room {}", room, e);
        }
    }

    /**
     * Completes on Redis' reply to the SUBSCRIBE (once Redis is back, when it is away: subscriptions
     * never time out), on Lettuce's I/O thread; a repeated call answers the pending confirmation.
     * Fails with {@code BROKER_UNAVAILABLE} when Redis refuses the SUBSCRIBE (an error reply).
     */
    @Override
    public CompletionStage<Void> subscribe(String room) {
        StatefulRedisPubSubConnection<String, String> sub = requireStarted();
        synchronized (lockFor(room)) {
            if (!rooms.add(room)) {
                CompletableFuture<Void> pending = unconfirmed.get(room);
                return pending == null ? CONFIRMED : pending.minimalCompletionStage();
            }
            CompletableFuture<Void> confirmed = new CompletableFuture<>();
            unconfirmed.put(room, confirmed);
            confirmed.whenComplete((ok, error) -> unconfirmed.remove(room, confirmed));
            sendSubscription(sub, room, true, confirmed);
            return confirmed.minimalCompletionStage();
        }
    }

    @Override
    public void unsubscribe(String room) {
        StatefulRedisPubSubConnection<String, String> sub = requireStarted();
        synchronized (lockFor(room)) {
            if (rooms.remove(room)) sendSubscription(sub, room, false, null);
        }
    }

    /**
     * Call with the room's lock held, so commands for one room leave in call order. A SUBSCRIBE
     * carries the confirmation it completes, so that the reply to an older SUBSCRIBE of the same
     * room (before an UNSUBSCRIBE) never confirms a newer one early.
     */
    private void sendSubscription(StatefulRedisPubSubConnection<String, String> sub, String room, boolean subscribe,
                                  CompletableFuture<Void> confirmed) {
        String channel = channelPrefix + room;
        var command = subscribe ? sub.async().subscribe(channel) : sub.async().unsubscribe(channel);
        command.whenComplete((ok, error) -> {
            if (error != null) retrySubscription(room, subscribe, confirmed, error);
            else if (confirmed != null) confirmed.complete(null);
        });
    }

    /**
     * Lettuce replays commands written while disconnected, but fails the one in flight when the
     * socket breaks; a lost SUBSCRIBE would leave the room deaf for good. So a failed command is
     * sent again a moment later (by then the broken socket is gone and the command waits in
     * Lettuce's buffer until the reconnect), unless the room's wanted state has changed since, in
     * which case the later command already says what we want. Retrying at once would write into the
     * dying socket and fail again in a tight loop.
     */
    private void retrySubscription(String room, boolean subscribe, CompletableFuture<Void> confirmed, Throwable error) {
        if (error instanceof RedisCommandExecutionException) {
            log.error("Redis refused to {} channel {}: {}", subscribe ? "subscribe to" : "unsubscribe from",
                    channelPrefix + room, error.getMessage());
            if (confirmed != null) confirmed.completeExceptionally(unavailable("Redis refused the subscription: " + error.getMessage(), error));
            return;
        }
        connector.scheduler().schedule(() -> {
            StatefulRedisPubSubConnection<String, String> sub = subscriber;
            if (sub == null) {
                if (confirmed != null) confirmed.completeExceptionally(unavailable("the broker is closed", error));
                return;
            }
            synchronized (lockFor(room)) {
                if (rooms.contains(room) == subscribe) sendSubscription(sub, room, subscribe, confirmed);
                // Unsubscribed meanwhile: nobody waits for this room any more.
                else if (confirmed != null) confirmed.cancel(false);
            }
        }, RETRY_DELAY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private Object lockFor(String room) {
        // Striped, so memory stays fixed however many rooms come and go; the lock is held only
        // while a command is queued, so sharing a stripe costs nothing noticeable.
        return roomLocks[(room.hashCode() & 0x7fffffff) % roomLocks.length];
    }

    /**
     * Completes when Redis accepted the PUBLISH; fails with {@code BROKER_UNAVAILABLE} at once while
     * the link is down, and when Redis does not accept it (after the command timeout when Redis is
     * away, which takes the link down).
     */
    @Override
    public CompletionStage<Void> publish(String room, RoomMessage message) {
        StatefulRedisConnection<String, String> pub = publisher;
        if (pub == null) return CompletableFuture.failedFuture(new IllegalStateException("RedisBroker not started"));
        if (down) {
            refused.incrementAndGet();
            return CompletableFuture.failedFuture(unavailable("the Redis link is down", null));
        }
        return pub.async().publish(channelPrefix + room, RoomMessageCodec.encode(message)).handle((receivers, error) -> {
            if (error == null) return null;
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            // An error reply (e.g. an ACL refusal) is Redis answering: the link itself is fine.
            if (!(cause instanceof RedisCommandExecutionException)) markDown("a publication failed: " + cause);
            refused.incrementAndGet();
            throw new CompletionException(unavailable("Redis did not accept the message: " + cause.getMessage(), cause));
        });
    }

    private static HeraldException unavailable(String message, Throwable cause) {
        return new HeraldException(ErrorCode.BROKER_UNAVAILABLE, message, cause);
    }

    /** True while the link is up (see the class comment). */
    public boolean linkUp() {
        return !down;
    }

    /** The rooms this node asked to be subscribed to. */
    public Set<String> rooms() {
        return Set.copyOf(rooms);
    }

    /** The Redis channel that carries a room. */
    public String channelOf(String room) {
        return channelPrefix + room;
    }

    /** Frames on our channels that were not in {@link RoomMessageCodec}'s form. */
    public long malformedCount() {
        return malformed.get();
    }

    private StatefulRedisPubSubConnection<String, String> requireStarted() {
        StatefulRedisPubSubConnection<String, String> sub = subscriber;
        if (sub == null) throw new IllegalStateException("RedisBroker not started");
        return sub;
    }

    @Override
    public void close() {
        closing = true;
        synchronized (link) {
            if (probes != null) probes.cancel(false);
        }
        listener = null;
        StatefulRedisPubSubConnection<String, String> sub = subscriber;
        StatefulRedisConnection<String, String> pub = publisher;
        subscriber = null;
        publisher = null;
        if (sub != null) sub.close();
        if (pub != null) pub.close();
    }
}
