package dev.herald.faults;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Concurrent REST creates against one node, each with its own {@code Idempotency-Key}, counted.
 * Create {@code i} goes to user {@code <run>-u<i % users>} with the title {@code <run>-n<i>}, so the
 * stored rows can be matched to the creates that made them.
 *
 * <p>With retries on, a create whose connection broke is sent again with the same key, once the
 * {@link #pause() gate} is open, until it gets an answer or {@link #MAX_ATTEMPTS} run out: that is
 * what a careful client does around a crash. With retries off every create is sent once and a broken
 * connection is counted as {@code cut} (it reached the server and got no answer) or {@code refused}
 * (the server was no longer accepting: the client can try another node).
 */
final class CreateLoad {
    static final int MAX_ATTEMPTS = 30;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration GATE_TIMEOUT = Duration.ofSeconds(90);

    private final URI base;
    private final String run;
    private final int total;
    private final int concurrency;
    private final int users;
    private final boolean retry;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger retried = new AtomicInteger();
    private final AtomicInteger replayed = new AtomicInteger();
    private final AtomicInteger cut = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();
    private final Map<Integer, List<String>> ids = new ConcurrentHashMap<>();
    private volatile CountDownLatch gate = new CountDownLatch(0);

    CreateLoad(URI base, String run, int total, int concurrency, int users, boolean retry) {
        this.base = base;
        this.run = run;
        this.total = total;
        this.concurrency = concurrency;
        this.users = users;
        this.retry = retry;
    }

    /** What the load saw: answers by kind, and the ids every 202 named, by create index. */
    record Report(int total, int sent, int accepted, int retried, int replayed, int cut, int refused, int failed,
                  String firstFailure, Map<Integer, List<String>> ids) {}

    String recipientPrefix() {
        return run + "-u";
    }

    String title(int i) {
        return run + "-n" + i;
    }

    /** Closes the gate: creates that fail from now on wait for {@link #resume} before their retry. */
    void pause() {
        gate = new CountDownLatch(1);
    }

    void resume() {
        gate.countDown();
    }

    int accepted() {
        return accepted.get();
    }

    int sent() {
        return sent.get();
    }

    /** Runs every create on {@code concurrency} virtual threads; the report is ready when they all ended. */
    Future<Report> start() {
        ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) running.add(workers.submit(this::work));
        workers.shutdown();
        return Executors.newVirtualThreadPerTaskExecutor().submit(() -> {
            for (Future<?> f : running) f.get();
            return new Report(total, sent.get(), accepted.get(), retried.get(), replayed.get(), cut.get(), refused.get(),
                    failed.get(), firstFailure.get(), Map.copyOf(ids));
        });
    }

    private Void work() throws InterruptedException {
        for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) create(i);
        return null;
    }

    private void create(int i) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/v1/notifications")).timeout(REQUEST_TIMEOUT)
                .header("authorization", "Bearer " + Tokens.API_KEY).header("content-type", "application/json")
                .header("idempotency-key", run + "-k" + i)
                .POST(HttpRequest.BodyPublishers.ofString("{\"recipients\":[\"" + recipientPrefix() + (i % users)
                        + "\"],\"type\":\"fault\",\"title\":\"" + title(i) + "\",\"message\":\"m\"}"))
                .build();
        sent.incrementAndGet();
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            if (attempt > 1) {
                retried.incrementAndGet();
                if (!gate.await(GATE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) throw new IllegalStateException("gate never reopened");
            }
            HttpResponse<String> r;
            try {
                r = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (HttpTimeoutException e) {
                fail("create " + i + " had no answer within " + REQUEST_TIMEOUT);
                return;
            } catch (IOException e) {
                if (retry) continue;
                (e instanceof ConnectException ? refused : cut).incrementAndGet();
                return;
            }
            if (r.statusCode() == 202) {
                JsonNode body = Json.parse(r.body(), "answer");
                List<String> got = new ArrayList<>();
                body.path("ids").forEach(id -> got.add(id.asText()));
                ids.put(i, got);
                accepted.incrementAndGet();
                if (body.path("replayed").asBoolean()) replayed.incrementAndGet();
                return;
            }
            // A node on its way down or up may answer 503; anything else is a real refusal.
            if (retry && r.statusCode() == 503) continue;
            fail("create " + i + " got " + r.statusCode() + " " + r.body());
            return;
        }
        fail("create " + i + " unanswered after " + MAX_ATTEMPTS + " attempts");
    }

    private void fail(String why) {
        failed.incrementAndGet();
        firstFailure.compareAndSet(null, why);
    }
}
