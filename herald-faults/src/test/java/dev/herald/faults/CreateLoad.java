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
import java.util.function.IntFunction;

/**
 * Concurrent REST creates against one node, each with its own {@code Idempotency-Key}, counted.
 * Create {@code i} goes to user {@code <run>-u<i % users>} with the title {@code <run>-n<i>}, so the
 * stored rows can be matched to the creates that made them. With a {@code batch} above 1 each
 * request is a bulk create of that many consecutive creates (slower requests, so more are in
 * flight when something breaks); the counts are still per create.
 *
 * <p>With retries on, a create whose connection broke is sent again with the same key, once the
 * {@link #pause() gate} is open, until it gets an answer or {@link #MAX_ATTEMPTS} run out: that is
 * what a careful client does around a crash. With retries off every create is sent once and a broken
 * connection is counted as {@code cut} (it reached the server and got no answer) or {@code refused}
 * (the server was no longer accepting: the client can try another node), and a 503 as
 * {@code unavailable} (an answer: try elsewhere). {@link #stop} ends the load early: requests
 * already sent still count, no new one starts.
 */
final class CreateLoad {
    static final int MAX_ATTEMPTS = 30;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration GATE_TIMEOUT = Duration.ofSeconds(90);

    private final URI base;
    private final String run;
    private final String recipients;
    private final int total;
    private final int concurrency;
    private final int users;
    private final int batch;
    private final boolean retry;
    private final IntFunction<String> fields;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger retried = new AtomicInteger();
    private final AtomicInteger replayed = new AtomicInteger();
    private final AtomicInteger cut = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger unavailable = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();
    private final Map<Integer, List<String>> ids = new ConcurrentHashMap<>();
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private volatile boolean stopped;

    private CreateLoad(Builder b) {
        if (b.total % b.batch != 0) throw new IllegalArgumentException("creates must be a multiple of batch");
        this.base = b.base;
        this.run = b.run;
        this.recipients = b.recipients != null ? b.recipients : b.run + "-u";
        this.total = b.total;
        this.concurrency = b.concurrency;
        this.users = b.users;
        this.batch = b.batch;
        this.retry = b.retry;
        this.fields = b.fields;
    }

    /**
     * A load against {@code base}; {@code run} makes its keys and titles unique.
     * Defaults: 100 creates, 8 at a time, 1 user, one create per request, no retries, in-app only.
     */
    static Builder against(URI base, String run) {
        return new Builder(base, run);
    }

    static final class Builder {
        private final URI base;
        private final String run;
        private String recipients;
        private int total = 100;
        private int concurrency = 8;
        private int users = 1;
        private int batch = 1;
        private boolean retry;
        private IntFunction<String> fields = i -> "";

        private Builder(URI base, String run) {
            this.base = base;
            this.run = run;
        }

        Builder creates(int n) {
            total = n;
            return this;
        }

        Builder concurrency(int n) {
            concurrency = n;
            return this;
        }

        /** Creates go round-robin to users {@code <prefix>0 … <prefix>(n-1)}; the prefix is {@code <run>-u} unless set. */
        Builder users(int n) {
            users = n;
            return this;
        }

        Builder recipientPrefix(String prefix) {
            recipients = prefix;
            return this;
        }

        /** Each request a bulk create of {@code n} consecutive creates. */
        Builder batch(int n) {
            batch = n;
            return this;
        }

        /** Broken connections and 503s are retried with the same key, behind the {@link #pause() gate}. */
        Builder retrying() {
            retry = true;
            return this;
        }

        /** More members of create {@code i}'s body, e.g. {@code "channels":["webhook"],"priority":"high"} ("" for none). */
        Builder fields(IntFunction<String> members) {
            fields = members;
            return this;
        }

        CreateLoad build() {
            return new CreateLoad(this);
        }
    }

    /** What the load saw: answers by kind, per create, and the ids every accepted create got, by create index. */
    record Report(int total, int sent, int accepted, int retried, int replayed, int cut, int refused, int unavailable,
                  int failed, String firstFailure, Map<Integer, List<String>> ids) {}

    String recipientPrefix() {
        return recipients;
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

    /** No request starts after this; those already sent run to their end. */
    void stop() {
        stopped = true;
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
                    unavailable.get(), failed.get(), firstFailure.get(), Map.copyOf(ids));
        });
    }

    private Void work() throws InterruptedException {
        for (int r = next.getAndIncrement(); r < total / batch && !stopped; r = next.getAndIncrement()) send(r);
        return null;
    }

    private String item(int i) {
        String more = fields.apply(i);
        return "{\"recipients\":[\"" + recipientPrefix() + (i % users) + "\"],\"type\":\"fault\",\"title\":\"" + title(i)
                + "\",\"message\":\"m\"" + (more.isEmpty() ? "" : "," + more) + "}";
    }

    /** Request {@code r}: create {@code r} alone, or the bulk of creates {@code r*batch …}. */
    private void send(int r) throws InterruptedException {
        String body;
        if (batch == 1) {
            body = item(r);
        } else {
            StringBuilder sb = new StringBuilder("{\"notifications\":[");
            for (int j = 0; j < batch; j++) sb.append(j == 0 ? "" : ",").append(item(r * batch + j));
            body = sb.append("]}").toString();
        }
        HttpRequest request = HttpRequest.newBuilder(base.resolve(batch == 1 ? "/api/v1/notifications" : "/api/v1/notifications/bulk"))
                .timeout(REQUEST_TIMEOUT).header("authorization", "Bearer " + Tokens.API_KEY).header("content-type", "application/json")
                .header("idempotency-key", run + "-k" + r).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        sent.addAndGet(batch);
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            if (attempt > 1) {
                retried.incrementAndGet();
                if (!gate.await(GATE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) throw new IllegalStateException("gate never reopened");
            }
            HttpResponse<String> answer;
            try {
                answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (HttpTimeoutException e) {
                fail("request " + r + " had no answer within " + REQUEST_TIMEOUT);
                return;
            } catch (IOException e) {
                if (retry) continue;
                (e instanceof ConnectException ? refused : cut).addAndGet(batch);
                return;
            }
            if (answer.statusCode() == 202) {
                accept(r, Json.parse(answer.body(), "answer"));
                return;
            }
            // A node on its way down or up may answer 503; anything else is a real refusal.
            if (answer.statusCode() == 503) {
                if (retry) continue;
                unavailable.addAndGet(batch);
                return;
            }
            fail("request " + r + " got " + answer.statusCode() + " " + answer.body());
            return;
        }
        fail("request " + r + " unanswered after " + MAX_ATTEMPTS + " attempts");
    }

    private void accept(int r, JsonNode body) {
        if (batch == 1) {
            accepted(r, body);
            return;
        }
        for (JsonNode result : body.path("results")) {
            int i = r * batch + result.path("index").asInt();
            if (result.has("error")) fail("create " + i + " refused: " + result.path("error"));
            else accepted(i, result);
        }
    }

    private void accepted(int i, JsonNode result) {
        List<String> got = new ArrayList<>();
        result.path("ids").forEach(id -> got.add(id.asText()));
        ids.put(i, got);
        accepted.incrementAndGet();
        if (result.path("replayed").asBoolean()) replayed.incrementAndGet();
    }

    private void fail(String why) {
        failed.incrementAndGet();
        firstFailure.compareAndSet(null, why);
    }
}
