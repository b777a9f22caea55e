package dev.herald.broker.redis.ingest;

import dev.herald.broker.IngestMeters;
import dev.herald.broker.redis.RedisConnector;
import dev.herald.core.ingest.IngestDeadLetters;
import dev.herald.core.ingest.IngestDeadLetters.DeadLetter;
import dev.herald.core.ingest.IngestHandler;
import dev.herald.core.ingest.IngestMessage;
import dev.herald.core.ingest.IngestOutcome;
import io.lettuce.core.RedisException;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seed 001's queue: {@code SUBSCRIBE notifications:send}, each message a create request (the REST
 * body) stored through {@link IngestHandler}. Redis pub/sub keeps nothing: what is published while
 * no node listens is lost (use {@link RedisStreamIngest} for that).
 *
 * <p>Every node subscribes and so receives every message. So that a cluster stores it once, the
 * node that wins {@code SET <claimPrefix><sha256(channel, body)> NX EX claimSeconds} handles it;
 * the others drop it. Two identical messages published within {@code claimSeconds} are therefore
 * one notification; give each an {@code idempotencyKey} (which also makes a republish safe) or
 * vary the body to send the same text twice.
 *
 * <p>A transient failure (the store is down) is retried in this node three times (1, 2, 4 s), then
 * the message is a dead letter, as a poison one is at once. Threading: Lettuce's I/O thread hands
 * each message to a virtual thread.
 */
public final class RedisSendIngest implements AutoCloseable {
    public static final String DEFAULT_CHANNEL = "notifications:send";
    public static final String DEFAULT_CLAIM_PREFIX = "herald:ingest:claim:";
    private static final Logger log = LoggerFactory.getLogger(RedisSendIngest.class);
    private static final int RETRIES = 3;

    private final RedisConnector connector;
    private final String channel;
    private final String claimPrefix;
    private final long claimSeconds;
    private final IngestHandler handler;
    private final IngestDeadLetters deadLetters;
    private final Clock clock;
    private final IngestMeters meters;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private volatile StatefulRedisPubSubConnection<String, String> subscription;
    private volatile StatefulRedisConnection<String, String> commands;

    public RedisSendIngest(RedisConnector connector, String channel, String claimPrefix, Duration claimTtl, IngestHandler handler,
                           IngestDeadLetters deadLetters, Clock clock, MeterRegistry registry) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.channel = Objects.requireNonNull(channel, "channel");
        this.claimPrefix = Objects.requireNonNull(claimPrefix, "claimPrefix");
        this.claimSeconds = Math.max(1, claimTtl.toSeconds());
        this.handler = Objects.requireNonNull(handler, "handler");
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.meters = IngestMeters.register(registry, "redis");
    }

    /** Subscribes; returns once Redis confirmed it. @throws dev.herald.core.HeraldException UNAVAILABLE */
    public void start() {
        commands = connector.connectCommands();
        StatefulRedisPubSubConnection<String, String> c = connector.connectPubSub();
        c.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String from, String message) {
                if (from.equals(channel)) workers.execute(() -> handle(message));
            }
        });
        try {
            c.sync().subscribe(channel);
        } catch (RedisException e) {
            c.close();
            throw e;
        }
        subscription = c;
        log.info("Redis ingest of create requests on {}", channel);
    }

    void handle(String message) {
        byte[] body = message.getBytes(StandardCharsets.UTF_8);
        if (!claim(body)) return;
        IngestOutcome outcome = handler.handle(new IngestMessage("redis", channel, body, null));
        for (int attempt = 0; outcome instanceof IngestOutcome.Retry && attempt < RETRIES; attempt++) {
            meters.retried().increment();
            try {
                Thread.sleep(Duration.ofSeconds(1L << attempt));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            outcome = handler.handle(new IngestMessage("redis", channel, body, null));
        }
        switch (outcome) {
            case IngestOutcome.Stored s -> meters.stored().increment();
            case IngestOutcome.Skipped s -> meters.stored().increment();
            case IngestOutcome.Poison p -> deadLetter(message, p.reason());
            case IngestOutcome.Retry r -> deadLetter(message, "gave up after " + (RETRIES + 1) + " attempts: " + r.reason());
        }
    }

    /** True when this node is the one to handle it; a Redis failure answers true (a duplicate beats a loss). */
    private boolean claim(byte[] body) {
        try {
            String won = commands.sync().set(claimPrefix + digest(body), "1", SetArgs.Builder.nx().ex(claimSeconds));
            return "OK".equals(won);
        } catch (RedisException e) {
            return true;
        }
    }

    private String digest(byte[] body) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(channel.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            return HexFormat.of().formatHex(sha.digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void deadLetter(String message, String reason) {
        meters.dead().increment();
        log.warn("Redis message on {} ({} chars) dead-lettered: {}", channel, message.length(), reason);
        try {
            deadLetters.record(new DeadLetter("redis:" + UUID.randomUUID(), "redis", channel, null, reason, message, clock.instant()));
        } catch (RuntimeException e) {
            log.error("a dead letter from {} could not be kept: {}", channel, e.toString());
        }
    }

    @Override
    public void close() {
        StatefulRedisPubSubConnection<String, String> s = subscription;
        subscription = null;
        if (s != null) s.close();
        workers.close();
        StatefulRedisConnection<String, String> c = commands;
        if (c != null) c.close();
    }
}
