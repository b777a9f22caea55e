package dev.herald.bench.scenario;

import dev.herald.bench.client.HttpPublisher;
import dev.herald.bench.client.Publisher;
import dev.herald.bench.client.Tokens;
import dev.herald.bench.report.Progress;
import dev.herald.bench.report.Result;
import dev.herald.bench.webhook.WebhookReceiver;
import dev.herald.bench.webhook.WebhookTally;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * Dispatched webhooks: N users whose contact points at a {@link WebhookReceiver} on loopback, then
 * {@code POST /api/v1/notifications} with {@code channels: ["webhook"]} at a fixed offered rate
 * (open loop: the creates do not wait for the webhooks), each for K consecutive users, with the
 * create time in {@code data.ts}. Every create the server accepts is an outbox row per recipient,
 * which its dispatcher claims and POSTs, signed, to the receiver. Measured: webhooks received a
 * second (steady: the middle 80 % of the arrivals), create→receive latency, duplicates by
 * {@code webhook-id}, and the CPU per webhook of the server and of its PostgreSQL backends.
 * Needs a server with an outbox and a webhook channel: Herald; nothing here pretends otherwise.
 */
final class WebhookScenario {
    private static final String CONTACT_PATH = "/api/v1/users/%s/contact";

    private WebhookScenario() {}

    static Result run(Options o) throws Exception {
        Options.Webhooks w = o.webhooks();
        if (w.secret() == null || w.secret().isBlank()) {
            throw new IllegalArgumentException("webhooks needs the server's signing secret: --webhook-secret (default $WEBHOOK_SIGNING_SECRET)");
        }
        int n = o.connections();
        int k = o.recipientsPerRequest();
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("users", n);
        params.put("rate", o.rate());
        params.put("recipientsPerRequest", k);
        params.put("seconds", o.seconds());
        params.put("warmupSeconds", o.warmupSeconds());
        params.put("priority", w.priority() == null ? "medium (server default)" : w.priority());
        params.put("failPercent", w.failPercent());
        params.put("verifyEvery", w.verifyEvery());
        Result r = Result.of("webhooks", o.target(), "http", params);
        try (Progress progress = new Progress("webhooks " + o.target());
             WebhookReceiver receiver = new WebhookReceiver(w.secret(), w.verifyEvery(), w.failPercent());
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            WebhookTally tally = receiver.tally();
            registerContacts(o, http, receiver.baseUrl(), progress);
            refuseWithoutWebhookChannel(o, http);
            if (o.warmupSeconds() > 0) {
                try (HttpPublisher warm = publisher(o)) {
                    progress.phase(() -> new Progress.State(-1, String.format("warming up (%.0f s, discarded)  webhooks %d",
                            o.warmupSeconds(), tally.counts().warmupReceived())));
                    // At the full rate, unlike the other scenarios: the dispatch path is only compiled
                    // by traffic through it, and whatever backlog this leaves is drained before the
                    // measurement starts. +1: the preflight create is a warm-up webhook too.
                    warm.run(o.rate(), o.warmupSeconds(), seq -> create(-1 - seq, n, k, w.priority()));
                    settle(warm, k, 1, () -> tally.counts().warmupReceived(), tally, o.drainSeconds());
                }
            }
            measure(o, r, tally, progress);
        }
        return r;
    }

    private static void measure(Options o, Result r, WebhookTally tally, Progress progress) throws Exception {
        int k = o.recipientsPerRequest();
        Options.Webhooks w = o.webhooks();
        WebhookTally.Counts before = tally.counts();
        ServerProbe server = new ServerProbe(o.serverPid(), null);
        long self = ProcessHandle.current().pid();
        try (HttpPublisher pub = publisher(o); DatabaseProbe db = DatabaseProbe.open(w.databaseUrl())) {
            long total = (long) (o.rate() * o.seconds());
            long cpuAtStart = server.cpuNanos();
            long selfAtStart = ServerProbe.cpuNanosOf(self);
            Map<Long, Long> dbAtStart = db == null ? Map.of() : db.cpuNanosByBackend();
            long commitsAtStart = db == null ? -1 : db.commits();
            long start = System.nanoTime();
            progress.phase(() -> {
                WebhookTally.Counts c = tally.counts();
                double el = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
                return new Progress.State(pub.issued() / (double) total, String.format(
                        "created %d/%d  answered %d  webhooks %d (%.0f/s)  late %d", pub.issued(), total,
                        pub.ok() + pub.failed(), c.received(), c.received() / el, pub.late()));
            });
            pub.run(o.rate(), o.seconds(), seq -> create(seq, o.connections(), k, w.priority()));
            long publishEnd = System.nanoTime();
            progress.phase(() -> new Progress.State(-1, String.format("draining: webhooks %d of %d",
                    tally.counts().received(), pub.ok() * k)));
            settle(pub, k, 0, () -> tally.counts().received(), tally, o.drainSeconds());
            long end = System.nanoTime();
            long cpuUsed = server.cpuNanos() - cpuAtStart;
            long selfUsed = ServerProbe.cpuNanosOf(self) - selfAtStart;
            long dbUsed = db == null ? -1 : DatabaseProbe.used(dbAtStart, db.cpuNanosByBackend());
            if (db != null) Thread.sleep(1_500); // let the backends publish their last transaction counts
            long commits = db == null ? -1 : db.commits() - commitsAtStart;
            WebhookTally.Counts c = tally.counts();
            long received = c.received();
            long expected = pub.ok() * k;
            double window = (end - start) / 1e9;
            r.put("createsOk", pub.ok()).put("createsFailed", pub.failed()).put("createsLate", pub.late())
                    .put("offeredWebhooksPerSec", (long) o.rate() * k)
                    .put("createdWebhooksPerSec", Math.round(expected / ((publishEnd - start) / 1e9)))
                    .put("expectedWebhooks", expected).put("received", received)
                    .put("missing", Math.max(0, expected - received))
                    .put("duplicates", c.duplicates() - before.duplicates())
                    .put("requests", c.requests() - before.requests())
                    .put("answered503", c.retriesAnswered503() - before.retriesAnswered503())
                    .put("signaturesChecked", c.signaturesChecked() - before.signaturesChecked())
                    .put("badSignatures", c.badSignatures() - before.badSignatures())
                    .put("webhooksPerSec", tally.steadyPerSecond())
                    .put("webhooksPerSecOverall", received == 0 ? 0
                            : Math.round(received / ((c.lastReceiveNanos() - start) / 1e9)))
                    .put("lastWebhookAfterSeconds", received == 0 ? 0.0
                            : Math.round((c.lastReceiveNanos() - start) / 1e7) / 100.0);
            latency(r, tally.latency());
            if (cpuAtStart >= 0 && received > 0) {
                r.put("serverCpuPercent", Math.round(100.0 * cpuUsed / (window * 1e9)))
                        .put("serverCpuMicrosPerWebhook", Math.round(cpuUsed / 1e3 / received * 10) / 10.0);
            }
            if (dbUsed >= 0 && received > 0) {
                r.put("databaseCpuPercent", Math.round(100.0 * dbUsed / (window * 1e9)))
                        .put("databaseCpuMicrosPerWebhook", Math.round(dbUsed / 1e3 / received * 10) / 10.0);
            }
            if (commits >= 0 && received > 0) r.put("databaseCommitsPerWebhook", Math.round(100.0 * commits / received) / 100.0);
            r.put("receiverConnections", c.connections());
            r.put("generatorCpuPercent", Math.round(100.0 * selfUsed / (window * 1e9)));
            notes(o, r, pub, c, before, w, db != null);
        }
    }

    private static void notes(Options o, Result r, HttpPublisher pub, WebhookTally.Counts c, WebhookTally.Counts before,
                              Options.Webhooks w, boolean dbProbed) {
        int k = o.recipientsPerRequest();
        r.note("creates: POST /api/v1/notifications with channels [\"webhook\"] at a fixed offered rate of " + o.rate()
                + "/s (open loop), " + k + " recipient(s) each; webhooksPerSec is the receive rate over the middle 80 % "
                + "of the arrivals, webhooksPerSecOverall from the first create to the last webhook");
        r.note("latency: create issued (data.ts) to webhook received, including the wait in the outbox");
        r.note("warm-up: creates at the full rate for --warmup s, then every warm-up webhook received before the measurement starts");
        r.note("serverCpuMicrosPerWebhook covers the whole window: the creates (notification and outbox rows) as well as the dispatch");
        r.note("the receiver checked the Standard Webhooks signature of 1 request in " + w.verifyEvery() + " (a bad one is answered 401)");
        if (w.failPercent() > 0) {
            r.note("the receiver answered 503 to the first attempt of " + w.failPercent() + " % of the webhooks (by id): those arrive after the server's retry backoff");
        }
        if (!dbProbed) r.note("no --database-url (or it could not connect): PostgreSQL CPU not measured");
        else r.note("databaseCommitsPerWebhook: transactions committed in the server's database (pg_stat_database) per webhook, creates included");
        if (c.malformed() - before.malformed() > 0) r.note((c.malformed() - before.malformed()) + " requests had no webhook-id (answered 400)");
        if (!pub.failedStatuses().isEmpty()) r.note("create failures by HTTP status (0: connection closed unanswered): " + pub.failedStatuses());
        if (pub.late() > 0) r.note("publisher windows were full for " + pub.late() + " creates: the server could not take the offered create rate");
    }

    /** Every user's contact points at the receiver: {@code <base>/u<i>}. */
    private static void registerContacts(Options o, HttpClient http, String base, Progress progress) throws Exception {
        forEveryUser(o, "contacts", progress, user -> {
            HttpResponse<String> a = call(o, http, "PUT", CONTACT_PATH.formatted(user), "{\"webhookUrl\":\"" + base + user + "\"}");
            if (a.statusCode() == 404) {
                throw new IllegalStateException("the target answered 404 to PUT " + CONTACT_PATH.formatted(user)
                        + ": it has no user contacts, so no webhook channel (the webhooks scenario needs Herald's outbox)");
            }
            if (a.statusCode() / 100 != 2) {
                throw new IllegalStateException("PUT " + CONTACT_PATH.formatted(user) + " answered " + a.statusCode() + ": " + a.body());
            }
        });
    }

    /** One user's set-up request; it throws when the target refuses it. */
    interface UserCall {
        void run(String user) throws Exception;
    }

    /**
     * Runs {@code call} for every user {@code u<i>}, 16 at a time on virtual threads, with the
     * progress shown as {@code label}; the first failure ends the run with its cause.
     */
    static void forEveryUser(Options o, String label, Progress progress, UserCall call) throws Exception {
        int n = o.connections();
        AtomicInteger done = new AtomicInteger();
        progress.phase(() -> new Progress.State(done.get() / (double) n, String.format("%s %d/%d", label, done.get(), n)));
        Semaphore inFlight = new Semaphore(16);
        List<Future<?>> calls = new ArrayList<>(n);
        try (ExecutorService vt = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                String user = Tokens.userId(i);
                inFlight.acquire();
                calls.add(vt.submit(() -> {
                    try {
                        call.run(user);
                        done.incrementAndGet();
                        return null;
                    } finally {
                        inFlight.release();
                    }
                }));
            }
            for (Future<?> f : calls) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof Exception cause) throw cause;
                    throw e;
                }
            }
        }
    }

    /** One create up front: a server without the webhook channel refuses it, and the run stops saying why. */
    private static void refuseWithoutWebhookChannel(Options o, HttpClient http) throws IOException, InterruptedException {
        HttpPublisher.Request probe = create(-1_000_000_000L, o.connections(), 1, o.webhooks().priority());
        HttpResponse<String> a = call(o, http, "POST", probe.path(), probe.body());
        if (a.statusCode() / 100 != 2) {
            throw new IllegalStateException("a create with channels [\"webhook\"] answered " + a.statusCode() + ": " + a.body()
                    + " (start the server with WEBHOOK_SIGNING_SECRET, and ALLOW_HTTP_WEBHOOKS=true for the loopback receiver)");
        }
    }

    private static HttpResponse<String> call(Options o, HttpClient http, String method, String path, String body)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://" + o.host() + ":" + o.port() + path))
                .timeout(Duration.ofSeconds(30))
                .header("authorization", "Bearer " + o.apiKey()).header("content-type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A create for {@code k} consecutive users from a spread-out first one, stamped in {@code data}. */
    static HttpPublisher.Request create(long seq, int n, int k, String priority) {
        long first = Math.floorMod(seq * 7919L, (long) n);
        StringBuilder to = new StringBuilder();
        for (int j = 0; j < k; j++) {
            if (j > 0) to.append(',');
            to.append('"').append(Tokens.userId((int) ((first + j) % n))).append('"');
        }
        return new HttpPublisher.Request(Scenarios.NOTIFICATIONS_PATH, "{\"recipients\":[" + to + "],\"type\":\"bench\","
                + "\"title\":\"Bench\",\"message\":\"Webhook " + seq + "\",\"channels\":[\"webhook\"],"
                + (priority == null ? "" : "\"priority\":\"" + priority + "\",") + "\"data\":" + Publisher.stamp(seq) + "}");
    }

    static HttpPublisher publisher(Options o) throws InterruptedException {
        return new HttpPublisher(o.host(), o.port(), o.apiKey(), o.publishConnections(), o.publishWindow());
    }

    /**
     * Waits until every create is answered and every accepted one's webhooks received ({@code k}
     * each, plus {@code extra}), or until neither answers nor requests at the receiver progressed
     * for {@code quietSeconds}: a server still working through its outbox keeps the wait going.
     */
    static void settle(HttpPublisher pub, int k, long extra, LongSupplier received, WebhookTally tally,
                               double quietSeconds) throws InterruptedException {
        long lastSeen = -1;
        long lastChange = System.nanoTime();
        while (true) {
            long answered = pub.ok() + pub.failed();
            if (answered >= pub.issued() && received.getAsLong() >= pub.ok() * k + extra) return;
            long progress = answered + tally.counts().requests();
            if (progress != lastSeen) {
                lastSeen = progress;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > (long) (quietSeconds * 1e9)) {
                return;
            }
            Thread.sleep(50);
        }
    }

    static void latency(Result r, Histogram h) {
        if (h.getTotalCount() == 0) return;
        r.put("latencyP50Micros", h.getValueAtPercentile(50)).put("latencyP99Micros", h.getValueAtPercentile(99))
                .put("latencyP999Micros", h.getValueAtPercentile(99.9)).put("latencyMaxMicros", h.getMaxValue());
    }
}
