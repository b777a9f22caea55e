package dev.herald.channels.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.Json;
import dev.herald.core.deliver.dispatch.DeliveryEvents;
import dev.herald.core.deliver.dispatch.SendResult;
import dev.herald.core.deliver.dispatch.StatusEvent;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Status callbacks to the backend ({@code DELIVERY_WEBHOOK_URL}): each {@link StatusEvent} becomes
 * one signed Standard Webhooks POST of
 * {@code {type, deliveryId?, notificationId, recipientId, channel, status, reason?, attempt?, at}}.
 *
 * <p>What is promised, honestly: <b>best effort, at least once while this node lives</b>.
 * {@link #statusChanged} only puts the event in a bounded queue and returns (never blocks, never
 * throws); one virtual thread drains it, up to {@link Options#maxInFlight} POSTs at once, each
 * retried on a 5xx, a 429, a timeout or an I/O error along {@link Options#backoff} with the same
 * {@code webhook-id} (the receiver dedupes by it). The queue is in memory: events still in it when
 * the node dies are lost; when it is full the oldest event is dropped and counted
 * ({@link #dropped()}); an event refused for good (a 4xx) or still failing after the last retry is
 * abandoned and counted ({@link #abandoned()}). Events may arrive out of order when several are in
 * flight: {@code at} orders them. The delivery log, not these callbacks, is the record.
 */
public final class WebhookDeliveryEvents implements DeliveryEvents, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookDeliveryEvents.class);

    /**
     * @param capacity events waiting at most; past it the oldest is dropped
     * @param maxInFlight POSTs under way at once
     * @param backoff the waits between attempts: its size is the number of retries
     * @param closeGrace how long {@link #close()} keeps sending what is queued
     */
    public record Options(int capacity, int maxInFlight, List<Duration> backoff, Duration closeGrace) {
        public Options {
            if (capacity < 1 || maxInFlight < 1) throw new IllegalArgumentException("capacity and maxInFlight must be positive");
            backoff = List.copyOf(backoff);
            Objects.requireNonNull(closeGrace, "closeGrace");
        }

        /** 10 000 queued, 8 in flight, retries after 1 s, 5 s and 30 s, 5 s to drain at shutdown. */
        public static Options defaults() {
            return new Options(10_000, 8, List.of(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30)),
                    Duration.ofSeconds(5));
        }
    }

    private final WebhookHttp http;
    private final URI url;
    private final Options options;
    private final ArrayBlockingQueue<StatusEvent> queue;
    private final Semaphore inFlight;
    private final ExecutorService posts = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong abandoned = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final Thread drainer;
    private volatile boolean closed;

    private WebhookDeliveryEvents(WebhookHttp http, URI url, Options options) {
        this.http = http;
        this.url = url;
        this.options = options;
        this.queue = new ArrayBlockingQueue<>(options.capacity());
        this.inFlight = new Semaphore(options.maxInFlight());
        this.drainer = Thread.ofVirtual().name("herald-status-callbacks").unstarted(this::drain);
    }

    /** Starts the drainer; {@code url} is the operator's backend ({@link WebhookConfig#deliveryWebhookUrl()}). */
    public static WebhookDeliveryEvents start(WebhookHttp http, URI url, Options options) {
        var events = new WebhookDeliveryEvents(http, url, options);
        events.drainer.start();
        return events;
    }

    @Override
    public void statusChanged(StatusEvent event) {
        if (event == null) return;
        if (closed) {
            countDrop();
            return;
        }
        while (!queue.offer(event)) {
            if (queue.poll() != null) countDrop();
        }
    }

    /** Events dropped because the queue was full (the oldest go first) or the node was closing. */
    public long dropped() {
        return dropped.get();
    }

    /** Events given up on: refused with a 4xx or 3xx, or still failing after the last retry. */
    public long abandoned() {
        return abandoned.get();
    }

    /** Events the backend accepted (a 2xx). */
    public long delivered() {
        return delivered.get();
    }

    private void countDrop() {
        long n = dropped.incrementAndGet();
        if (n == 1 || n % 1000 == 0) log.warn("status callbacks: dropped an event, the queue being full or the node closing ({} so far)", n);
    }

    private void drain() {
        try {
            while (!closed || !queue.isEmpty()) {
                // A permit first, then an event: an event waits in the queue (where overflow drops the
                // oldest), never in the drainer's hands.
                inFlight.acquire();
                StatusEvent event = queue.poll(100, TimeUnit.MILLISECONDS);
                if (event == null) {
                    inFlight.release();
                    continue;
                }
                posts.execute(() -> {
                    try {
                        post(event);
                    } finally {
                        inFlight.release();
                    }
                });
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void post(StatusEvent event) {
        String id = UUID.randomUUID().toString();
        String body = Json.write(body(event));
        List<Duration> backoff = options.backoff();
        for (int attempt = 1; ; attempt++) {
            SendResult result = http.post(url, id, body);
            switch (result) {
                case SendResult.Sent sent -> {
                    delivered.incrementAndGet();
                    return;
                }
                case SendResult.Failed failed -> {
                    abandon(event, attempt, failed.reason());
                    return;
                }
                case SendResult.Retry retry -> {
                    if (attempt > backoff.size()) {
                        abandon(event, attempt, retry.reason());
                        return;
                    }
                    Duration wait = backoff.get(attempt - 1);
                    if (retry.retryAfter() != null && retry.retryAfter().compareTo(wait) > 0) {
                        // The backend's hint, but never past the longest planned wait: a callback is news.
                        Duration longest = backoff.get(backoff.size() - 1);
                        wait = retry.retryAfter().compareTo(longest) > 0 ? longest : retry.retryAfter();
                    }
                    try {
                        Thread.sleep(wait);
                    } catch (InterruptedException e) {
                        abandon(event, attempt, "node closing");
                        return;
                    }
                }
            }
        }
    }

    private void abandon(StatusEvent event, int attempts, String reason) {
        abandoned.incrementAndGet();
        log.warn("status callback {} of notification {} abandoned after {} attempt(s): {}",
                event.type(), event.notificationId(), attempts, reason);
    }

    static ObjectNode body(StatusEvent event) {
        ObjectNode json = Json.object().put("type", event.type());
        if (event.deliveryId() != null) json.put("deliveryId", event.deliveryId());
        json.put("notificationId", event.notificationId())
                .put("recipientId", event.recipientId())
                .put("channel", event.channel().wire())
                .put("status", event.status().wire());
        if (event.reason() != null) json.put("reason", event.reason());
        if (event.attempt() != null) json.put("attempt", event.attempt());
        return json.put("at", event.at().toString());
    }

    /**
     * Stops taking events and keeps sending what is queued for up to {@link Options#closeGrace};
     * what is left then is dropped (counted). Does not close the shared {@link WebhookHttp}.
     */
    @Override
    public void close() {
        closed = true;
        long deadline = System.nanoTime() + options.closeGrace().toNanos();
        try {
            if (!drainer.join(options.closeGrace())) drainer.interrupt();
            posts.shutdown();
            long left = Math.max(0, deadline - System.nanoTime());
            if (!posts.awaitTermination(left, TimeUnit.NANOSECONDS)) posts.shutdownNow();
        } catch (InterruptedException e) {
            posts.shutdownNow();
            Thread.currentThread().interrupt();
        }
        while (queue.poll() != null) countDrop();
    }
}
