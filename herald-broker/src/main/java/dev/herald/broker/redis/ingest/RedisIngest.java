package dev.herald.broker.redis.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.herald.broker.UserEventSink;
import dev.herald.broker.redis.RedisConnector;
import dev.herald.core.Json;
import dev.herald.core.deliver.live.OutboundEvent;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.SocketAddress;
import java.util.Iterator;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seed 002's ingestion: backend services {@code PUBLISH user_noti:<userId> <json>} and every
 * connection of that user, on every node, receives it.
 *
 * <p>This node PSUBSCRIBEs {@code <channelPrefix>*}; the user id is the rest of the channel name.
 * A message shaped {@code {"event": "<name>", "data": <any>}} (no other fields) is emitted as that
 * event with {@code data} as its argument; any other JSON value is emitted as {@code notification}
 * with the whole message as its argument. A message that is not exactly one JSON value, is on a
 * channel with an empty user id, or names an event a Socket.IO client cannot receive (reserved
 * names, empty or over {@value #MAX_EVENT_NAME} chars) is dropped and counted in
 * {@code herald_ingest_malformed_total{source="redis"}}; the log says which channel and how long
 * the payload was, never what it contained. Nothing an outside service publishes stops the ingest.
 *
 * <p>Fire-and-forget, as in seed 002: Redis pub/sub keeps nothing for a node that is away. When
 * Redis goes away, Lettuce reconnects with exponential back-off and jitter (configured in
 * {@link RedisConnector} from {@link RedisConfig#reconnectMin()}..{@link RedisConfig#reconnectMax()})
 * and re-issues the PSUBSCRIBE; messages published during the outage are lost. Stored
 * notifications come in through {@link RedisSendIngest} ({@code notifications:send}),
 * {@link RedisStreamIngest} (durable) and the NATS JetStream consumer.
 *
 * <p>Every node runs its own ingest and so receives every message (pattern subscriptions are not
 * shared out): the sink must deliver to this node's sockets only ({@code hub.emitLocal}), not
 * through the broker, or a cluster of N nodes would deliver each message N times.
 *
 * <p>Threading: the sink is called on Lettuce's I/O thread, one message after the other.
 */
public final class RedisIngest implements AutoCloseable {
    public static final String DEFAULT_CHANNEL_PREFIX = "user_noti:";
    public static final int MAX_EVENT_NAME = 128;
    /** Same bound as a client frame (Socket.IO maxPayload): nothing bigger could be delivered anyway. */
    public static final int MAX_MESSAGE_CHARS = 1 << 20;
    private static final Logger log = LoggerFactory.getLogger(RedisIngest.class);
    private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final ObjectMapper json = new ObjectMapper(Json.factory()).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final RedisConnector connector;
    private final String channelPrefix;
    private final UserEventSink sink;
    private final Counter receivedMeter;
    private final Counter malformedMeter;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong lastWarnNanos = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);
    private final AtomicLong unloggedMalformed = new AtomicLong();
    private volatile StatefulRedisPubSubConnection<String, String> connection;

    /**
     * @param channelPrefix the channels to listen to, {@value #DEFAULT_CHANNEL_PREFIX} by default
     * @param sink          where messages go; wire it to
     *                      {@code hub.emitLocal("user:" + userId, new OutboundEvent(event, json), Set.of())}
     * @param meters        registry for {@code herald_ingest_received_total} and
     *                      {@code herald_ingest_malformed_total}, tagged {@code source=redis}
     */
    public RedisIngest(RedisConnector connector, String channelPrefix, UserEventSink sink, MeterRegistry meters) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.channelPrefix = Objects.requireNonNull(channelPrefix, "channelPrefix");
        if (channelPrefix.isEmpty()) throw new IllegalArgumentException("REDIS ingest channel prefix must not be empty");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.receivedMeter = Counter.builder("herald.ingest.received").tag("source", "redis")
                .description("Messages received from Redis user_noti channels").register(meters);
        this.malformedMeter = Counter.builder("herald.ingest.malformed").tag("source", "redis")
                .description("Redis user_noti messages dropped as malformed").register(meters);
    }

    /**
     * Connects and subscribes; returns once Redis confirmed the subscription.
     *
     * @throws dev.herald.core.HeraldException UNAVAILABLE when Redis cannot be reached at start
     */
    public void start() {
        if (connection != null) throw new IllegalStateException("RedisIngest already started");
        StatefulRedisPubSubConnection<String, String> c = connector.connectPubSub();
        c.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String pattern, String channel, String message) {
                onMessage(channel, message);
            }
        });
        c.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
                log.info("Redis ingest connected to {}", address);
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
                log.warn("Redis ingest lost its connection; reconnecting with back-off");
            }
        });
        try {
            c.sync().psubscribe(pattern());
        } catch (RedisException e) {
            c.close();
            throw e;
        }
        connection = c;
        log.info("Redis ingest listening on {}*", channelPrefix);
    }

    /** The PSUBSCRIBE pattern: the prefix with its glob characters escaped, then {@code *}. */
    String pattern() {
        return channelPrefix.replaceAll("([*?\\[\\]\\\\])", "\\\\$1") + "*";
    }

    void onMessage(String channel, String message) {
        received.incrementAndGet();
        receivedMeter.increment();
        if (!channel.startsWith(channelPrefix)) return;
        String userId = channel.substring(channelPrefix.length());
        if (userId.isBlank()) {
            reject(channel, message, "empty user id");
            return;
        }
        if (message.length() > MAX_MESSAGE_CHARS) {
            reject(channel, message, "larger than " + MAX_MESSAGE_CHARS + " chars");
            return;
        }
        JsonNode root;
        try {
            root = message.isBlank() ? null : json.readTree(message);
        } catch (JsonProcessingException e) {
            root = null;
        }
        if (root == null || root.isMissingNode()) {
            reject(channel, message, "not a JSON value");
            return;
        }
        String event = "notification";
        String argument = message.strip();
        if (isEventEnvelope(root)) {
            event = root.get("event").textValue();
            if (event.isBlank() || event.length() > MAX_EVENT_NAME || OutboundEvent.RESERVED_NAMES.contains(event)) {
                reject(channel, message, "unusable event name");
                return;
            }
            argument = root.has("data") ? root.get("data").toString() : NullNode.instance.toString();
        }
        try {
            sink.emitToUser(userId, event, argument);
        } catch (RuntimeException e) {
            log.error("Redis ingest sink failed for channel {}", channel, e);
        }
    }

    private static boolean isEventEnvelope(JsonNode root) {
        if (!root.isObject() || !root.path("event").isTextual()) return false;
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("event") && !f.equals("data")) return false;
        }
        return true;
    }

    private void reject(String channel, String message, String reason) {
        malformed.incrementAndGet();
        malformedMeter.increment();
        long now = System.nanoTime();
        long last = lastWarnNanos.get();
        // One warning per interval at most: a misbehaving publisher must not flood the logs.
        if (now - last >= WARN_EVERY_NANOS && lastWarnNanos.compareAndSet(last, now)) {
            long suppressed = unloggedMalformed.getAndSet(0);
            log.warn("Dropped a malformed message on {} ({} chars): {}{}", channel, message.length(), reason,
                    suppressed > 0 ? " (" + suppressed + " more since the last warning)" : "");
        } else {
            unloggedMalformed.incrementAndGet();
        }
    }

    public long receivedCount() {
        return received.get();
    }

    public long malformedCount() {
        return malformed.get();
    }

    @Override
    public void close() {
        StatefulRedisPubSubConnection<String, String> c = connection;
        connection = null;
        if (c != null) c.close();
    }
}
