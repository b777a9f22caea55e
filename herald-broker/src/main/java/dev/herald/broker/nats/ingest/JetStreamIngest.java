package dev.herald.broker.nats.ingest;

import dev.herald.broker.ConsumerThreads;
import dev.herald.broker.IngestMeters;
import dev.herald.core.ingest.IngestDeadLetters;
import dev.herald.core.ingest.IngestDeadLetters.DeadLetter;
import dev.herald.core.ingest.IngestHandler;
import dev.herald.core.ingest.IngestMessage;
import dev.herald.core.ingest.IngestOutcome;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.impl.Headers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable JetStream pull consumer feeding {@link IngestHandler} (DESIGN §4, seed 004): fetches
 * batches ({@code batch}, {@code fetchWait}), handles a batch's messages side by side on virtual
 * threads, and acknowledges each only after its outcome is durable:
 * <ul>
 *   <li>stored (or skipped by design): {@code ack};</li>
 *   <li>poison (bad JSON, a refused field, a channel not configured): kept in
 *       {@link IngestDeadLetters} with the reason, published to {@code dlqPrefix + subject}, then
 *       {@code term}: never redelivered;</li>
 *   <li>transient (the store is down): {@code nak} with a growing delay; on the last of
 *       {@code maxDeliver} deliveries it is dead-lettered instead, so nothing is redelivered for ever.</li>
 * </ul>
 * A node killed between storing and acking gets the message again after {@code ackWait}; the
 * idempotency key ({@code Nats-Msg-Id}, else the stream and sequence) makes the second store a no-op.
 *
 * <p>Consumer lag (the consumer's pending count, read from each message's metadata) is the gauge
 * {@code notifications_ingest_lag{source, consumer}}. Threading: one loop thread (virtual); closing
 * stops fetching and waits for the batch in hand.
 */
public final class JetStreamIngest implements AutoCloseable {
    public static final String MSG_ID = "Nats-Msg-Id";
    private static final Logger log = LoggerFactory.getLogger(JetStreamIngest.class);

    private final Connection nats;
    private final JetStreamIngestConfig config;
    private final IngestHandler handler;
    private final IngestDeadLetters deadLetters;
    private final Clock clock;
    private final String source;
    private final IngestMeters meters;
    private final AtomicLong lag = new AtomicLong(-1);
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean running;
    private Thread loop;

    /** @param source the {@code source} tag and dead letters' source ({@code nats} or {@code rules}) */
    public JetStreamIngest(Connection nats, JetStreamIngestConfig config, IngestHandler handler, IngestDeadLetters deadLetters,
                           Clock clock, MeterRegistry registry, String source) {
        this.nats = Objects.requireNonNull(nats, "nats");
        this.config = Objects.requireNonNull(config, "config");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.source = Objects.requireNonNull(source, "source");
        this.meters = IngestMeters.register(registry, source);
        Gauge.builder("notifications.ingest.lag", lag, AtomicLong::get).tag("source", source).tag("consumer", config.durable())
                .description("Messages the JetStream consumer has yet to take (-1 before its first fetch)").register(registry);
    }

    /**
     * Creates the stream (when missing and allowed) and the consumer, binds, and starts fetching.
     *
     * @throws dev.herald.core.HeraldException UNAVAILABLE when JetStream is unreachable or the stream is missing
     */
    public synchronized void start() {
        if (loop != null) throw new IllegalStateException("already started");
        JetStreamSetup.ensure(nats, config);
        JetStreamSubscription subscription;
        try {
            subscription = nats.jetStream().subscribe(null, PullSubscribeOptions.bind(config.stream(), config.durable()));
        } catch (IOException | JetStreamApiException e) {
            throw new dev.herald.core.HeraldException(dev.herald.core.ErrorCode.UNAVAILABLE,
                    "cannot bind JetStream consumer " + config.durable() + ": " + e.getMessage(), e);
        }
        running = true;
        loop = Thread.ofVirtual().name("herald-jetstream-" + config.durable()).start(() -> run(subscription));
        log.info("JetStream ingest: consumer {} on stream {} ({})", config.durable(), config.stream(), config.subjects());
    }

    /** The consumer's last known pending count, -1 before the first fetch. */
    public long lag() {
        return lag.get();
    }

    private void run(JetStreamSubscription subscription) {
        long failures = 0;
        while (running) {
            List<Message> batch;
            try {
                batch = subscription.fetch(config.batch(), config.fetchWait());
                failures = 0;
            } catch (RuntimeException e) {
                if (!running) break;
                // Disconnected or the server is restarting: jnats reconnects; wait a little and fetch again.
                if (failures++ % 30 == 0) log.warn("JetStream fetch on {} failed: {}", config.durable(), e.toString());
                ConsumerThreads.pause(Duration.ofSeconds(1));
                continue;
            }
            if (batch.isEmpty()) {
                lag.set(0);
                continue;
            }
            List<Future<?>> inFlight = new ArrayList<>(batch.size());
            for (Message m : batch) inFlight.add(workers.submit(() -> handle(m)));
            for (Future<?> f : inFlight) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (java.util.concurrent.ExecutionException e) {
                    log.error("JetStream ingest handler failed", e.getCause());
                }
            }
            lag.set(batch.getLast().metaData().pendingCount());
        }
        try {
            subscription.unsubscribe();
        } catch (RuntimeException ignored) {
            // The connection is closing too.
        }
    }

    void handle(Message m) {
        String subject = m.getSubject();
        if (subject.startsWith(config.dlqPrefix())) {
            m.ack(); // Herald's own dead letters, kept by the stream for operators: never a create request.
            return;
        }
        long delivered = m.metaData().deliveredCount();
        String position = config.stream() + ":" + m.metaData().streamSequence();
        Headers headers = m.getHeaders();
        String msgId = headers == null ? null : headers.getFirst(MSG_ID);
        String key = msgId != null && !msgId.isBlank() ? msgId : "js:" + position;
        IngestOutcome outcome = handler.handle(new IngestMessage(source, subject, m.getData() == null ? new byte[0] : m.getData(), key));
        switch (outcome) {
            case IngestOutcome.Stored s -> {
                m.ack();
                meters.stored().increment();
            }
            case IngestOutcome.Skipped s -> {
                m.ack();
                meters.stored().increment();
            }
            case IngestOutcome.Poison p -> deadLetter(m, position, msgId, p.reason(), delivered);
            case IngestOutcome.Retry r -> {
                if (delivered >= config.maxDeliver()) {
                    deadLetter(m, position, msgId, "gave up after " + delivered + " deliveries: " + r.reason(), delivered);
                } else {
                    meters.retried().increment();
                    log.warn("JetStream message {} on {} will be retried (delivery {} of {}): {}", position, subject, delivered,
                            config.maxDeliver(), r.reason());
                    m.nakWithDelay(backoff(delivered));
                }
            }
        }
    }

    private void deadLetter(Message m, String position, String msgId, String reason, long delivered) {
        byte[] data = m.getData() == null ? new byte[0] : m.getData();
        try {
            deadLetters.record(new DeadLetter("nats:" + position, source, m.getSubject(), msgId, reason,
                    new String(data, StandardCharsets.UTF_8), clock.instant()));
        } catch (RuntimeException e) {
            if (delivered < config.maxDeliver()) {
                // The store is down: keep the message in the stream and try again.
                meters.retried().increment();
                m.nakWithDelay(backoff(delivered));
                return;
            }
            log.error("JetStream message {} on {} could not be kept as a dead letter ({}); it stays on {} only", position,
                    m.getSubject(), e.toString(), config.dlqPrefix() + m.getSubject());
        }
        Headers h = new Headers();
        h.put("Herald-Dead-Reason", headerSafe(reason));
        h.put("Herald-Original-Subject", m.getSubject());
        h.put("Herald-Stream-Sequence", position);
        if (msgId != null) h.put("Herald-Original-Msg-Id", headerSafe(msgId));
        try {
            nats.publish(config.dlqPrefix() + m.getSubject(), h, data);
        } catch (RuntimeException e) {
            log.warn("could not publish the dead letter of {} to {}: {}", position, config.dlqPrefix() + m.getSubject(), e.toString());
        }
        m.term();
        meters.dead().increment();
        log.warn("JetStream message {} on {} dead-lettered: {}", position, m.getSubject(), reason);
    }

    /** 2 s, 4 s, 8 s … at most 30 s: long enough for a store restart, short next to AckWait. */
    static Duration backoff(long delivered) {
        return Duration.ofSeconds(Math.min(30, 1L << Math.min(5, Math.max(1, delivered))));
    }

    private static String headerSafe(String text) {
        String s = text.replaceAll("[^\\x20-\\x7e]", " ");
        return s.length() > 500 ? s.substring(0, 500) : s;
    }

    @Override
    public void close() {
        running = false;
        Thread t;
        synchronized (this) {
            t = loop;
        }
        ConsumerThreads.join(t, config.fetchWait().plusSeconds(5));
        workers.close();
    }
}
