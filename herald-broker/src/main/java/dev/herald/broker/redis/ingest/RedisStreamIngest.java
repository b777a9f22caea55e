package dev.herald.broker.redis.ingest;

import dev.herald.broker.ConsumerThreads;
import dev.herald.broker.IngestMeters;
import dev.herald.broker.redis.RedisConnector;
import dev.herald.core.ingest.IngestDeadLetters;
import dev.herald.core.ingest.IngestDeadLetters.DeadLetter;
import dev.herald.core.ingest.IngestHandler;
import dev.herald.core.ingest.IngestMessage;
import dev.herald.core.ingest.IngestOutcome;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.stream.ClaimedMessages;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable Redis Streams consumer of create requests: {@code XADD notifications:stream * body
 * '<the REST body>'} is stored once even if no node was up when it was added. Each node is a
 * consumer (its node id) of the group {@code herald}: {@code XREADGROUP} hands an entry to one
 * node, which {@code XACK}s it only once it is stored (or dead-lettered, for a poison entry). An
 * entry a node read and never acknowledged (it died mid-batch, or the store was down) is taken
 * over by {@code XAUTOCLAIM} once idle for {@code claimIdle}, by any node, so nothing waits for a
 * dead node to come back. The idempotency key is the body's {@code idempotencyKey}, else the
 * stream and entry id, so an entry handled twice is stored once.
 *
 * <p>A transient failure leaves the entry pending: it is claimed again after {@code claimIdle},
 * for as long as it takes (Redis keeps it; there is no delivery limit). Threading: one virtual
 * loop thread on a dedicated connection (XREADGROUP blocks it); a batch is handled side by side.
 */
public final class RedisStreamIngest implements AutoCloseable {
    public static final String DEFAULT_STREAM = "notifications:stream";
    public static final String DEFAULT_GROUP = "herald";
    public static final String BODY_FIELD = "body";
    private static final Logger log = LoggerFactory.getLogger(RedisStreamIngest.class);

    private final RedisConnector connector;
    private final String stream;
    private final Consumer<String> me;
    private final Duration claimIdle;
    private final int batch;
    private final IngestHandler handler;
    private final IngestDeadLetters deadLetters;
    private final Clock clock;
    private final IngestMeters meters;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicLong lag = new AtomicLong(-1);
    private volatile boolean running;
    private StatefulRedisConnection<String, String> connection;
    private Thread loop;

    public RedisStreamIngest(RedisConnector connector, String stream, String group, String consumer, Duration claimIdle,
                             IngestHandler handler, IngestDeadLetters deadLetters, Clock clock, MeterRegistry registry) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.stream = Objects.requireNonNull(stream, "stream");
        this.me = Consumer.from(Objects.requireNonNull(group, "group"), Objects.requireNonNull(consumer, "consumer"));
        this.claimIdle = Objects.requireNonNull(claimIdle, "claimIdle");
        this.batch = 10;
        this.handler = Objects.requireNonNull(handler, "handler");
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.meters = IngestMeters.register(registry, "redis-stream");
        Gauge.builder("notifications.ingest.lag", lag, AtomicLong::get).tag("source", "redis-stream").tag("consumer", group)
                .description("Entries of the stream the group has yet to read (XINFO GROUPS lag; -1 when unknown)").register(registry);
    }

    /** Creates the group (and the stream) when missing and starts consuming. @throws dev.herald.core.HeraldException UNAVAILABLE */
    public synchronized void start() {
        if (loop != null) throw new IllegalStateException("already started");
        connection = connector.connectCommands();
        try {
            connection.sync().xgroupCreate(XReadArgs.StreamOffset.from(stream, "0"), me.getGroup(), XGroupCreateArgs.Builder.mkstream());
        } catch (RedisBusyException e) {
            // BUSYGROUP: another node (or an earlier run) made it.
        }
        running = true;
        loop = Thread.ofVirtual().name("herald-redis-stream").start(this::run);
        log.info("Redis Streams ingest on {} as {} of group {}", stream, me.getName(), me.getGroup());
    }

    private void run() {
        RedisCommands<String, String> redis = connection.sync();
        long failures = 0;
        // This node's own unacknowledged entries from before a restart come first ("0"), then new ones (">").
        String offset = "0";
        long nextClaim = System.nanoTime(), nextLag = System.nanoTime();
        while (running) {
            try {
                if (System.nanoTime() - nextClaim >= 0) {
                    claimAbandoned(redis);
                    nextClaim = System.nanoTime() + Math.max(100_000_000L, claimIdle.toNanos() / 2);
                }
                List<StreamMessage<String, String>> entries = redis.xreadgroup(me,
                        XReadArgs.Builder.count(batch).block(Duration.ofSeconds(1)), XReadArgs.StreamOffset.from(stream, offset));
                offset = ">"; // own pending entries are read once; a retry of one comes back through the claim
                if (entries != null && !entries.isEmpty()) handleAll(redis, entries);
                if (System.nanoTime() - nextLag >= 0) {
                    readLag(redis);
                    nextLag = System.nanoTime() + 1_000_000_000L;
                }
                failures = 0;
            } catch (RedisException e) {
                if (!running) break;
                if (failures++ % 30 == 0) log.warn("Redis Streams read on {} failed: {}", stream, e.toString());
                ConsumerThreads.pause(Duration.ofSeconds(1));
            }
        }
    }

    /** The group's lag as Redis 7 reports it (entries added and not yet read by the group); -1 when unknown. */
    private void readLag(RedisCommands<String, String> redis) {
        for (Object group : redis.xinfoGroups(stream)) {
            if (!(group instanceof List<?> fields)) continue;
            Object name = null, value = null;
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                if ("name".equals(String.valueOf(fields.get(i)))) name = fields.get(i + 1);
                if ("lag".equals(String.valueOf(fields.get(i)))) value = fields.get(i + 1);
            }
            if (me.getGroup().equals(String.valueOf(name))) lag.set(value instanceof Number n ? n.longValue() : -1);
        }
    }

    /** The group's last known lag, -1 before it is known. */
    public long lag() {
        return lag.get();
    }

    /** XAUTOCLAIM every entry idle longer than {@code claimIdle} (a dead consumer's, or a retry of ours). */
    private void claimAbandoned(RedisCommands<String, String> redis) {
        String cursor = "0-0";
        do {
            ClaimedMessages<String, String> claimed = redis.xautoclaim(stream,
                    XAutoClaimArgs.Builder.xautoclaim(me, claimIdle, cursor).count(batch));
            List<StreamMessage<String, String>> entries = claimed.getMessages().stream().filter(e -> e.getBody() != null).toList();
            if (!entries.isEmpty()) {
                log.info("claimed {} abandoned entries of {}", entries.size(), stream);
                handleAll(redis, entries);
            }
            cursor = claimed.getId();
        } while (running && cursor != null && !cursor.equals("0-0"));
    }

    private void handleAll(RedisCommands<String, String> redis, List<StreamMessage<String, String>> entries) {
        List<Future<Boolean>> done = new ArrayList<>(entries.size());
        for (StreamMessage<String, String> e : entries) done.add(workers.submit(() -> handle(e)));
        List<String> acked = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            try {
                if (done.get(i).get()) acked.add(entries.get(i).getId());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                log.error("Redis Streams ingest handler failed", e.getCause());
            }
        }
        if (!acked.isEmpty()) redis.xack(stream, me.getGroup(), acked.toArray(String[]::new));
    }

    /** True when the entry may be acknowledged (stored, skipped, or kept as a dead letter). */
    private boolean handle(StreamMessage<String, String> entry) {
        if (entry.getBody() == null) return true; // deleted from the stream while pending: nothing to store
        String body = entry.getBody().get(BODY_FIELD);
        IngestOutcome outcome = body == null
                ? new IngestOutcome.Poison("INVALID_ARGUMENT: the entry has no '" + BODY_FIELD + "' field")
                : handler.handle(new IngestMessage("redis-stream", stream, body.getBytes(StandardCharsets.UTF_8),
                        stream + ":" + entry.getId()));
        return switch (outcome) {
            case IngestOutcome.Stored s -> {
                meters.stored().increment();
                yield true;
            }
            case IngestOutcome.Skipped s -> true;
            case IngestOutcome.Retry r -> {
                meters.retried().increment();
                log.warn("Redis Streams entry {} of {} stays pending for a retry: {}", entry.getId(), stream, r.reason());
                yield false;
            }
            case IngestOutcome.Poison p -> {
                try {
                    deadLetters.record(new DeadLetter("redis-stream:" + stream + ":" + entry.getId(), "redis-stream", stream,
                            entry.getId(), p.reason(), body == null ? entry.getBody().toString() : body, clock.instant()));
                } catch (RuntimeException e) {
                    yield false; // the store is down: claimed and dead-lettered again later
                }
                meters.dead().increment();
                log.warn("Redis Streams entry {} of {} dead-lettered: {}", entry.getId(), stream, p.reason());
                yield true;
            }
        };
    }

    @Override
    public void close() {
        running = false;
        Thread t;
        synchronized (this) {
            t = loop;
        }
        ConsumerThreads.join(t, Duration.ofSeconds(5));
        workers.close();
        if (connection != null) connection.close();
    }
}
