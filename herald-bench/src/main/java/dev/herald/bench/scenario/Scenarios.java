package dev.herald.bench.scenario;

import dev.herald.bench.client.GrpcPublisher;
import dev.herald.bench.client.HttpPublisher;
import dev.herald.bench.client.Publisher;
import dev.herald.bench.client.Tokens;
import dev.herald.bench.report.Progress;
import dev.herald.bench.report.Result;
import dev.herald.bench.worker.WorkerPool;
import dev.herald.bench.worker.WorkerSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The scenarios. Each forks worker processes for the client connections, drives the server from
 * this process (REST publisher, memory probe), and returns a {@link Result}. Figures are what was
 * observed; nothing here asserts a time.
 */
public final class Scenarios {
    public static final String[] NAMES = {"idle", "fanout", "unicast", "handshake"};

    private Scenarios() {}

    public static Result run(String scenario, Options o) throws Exception {
        return switch (scenario) {
            case "idle" -> idle(o);
            case "fanout" -> fanout(o);
            case "unicast" -> unicast(o);
            case "handshake" -> handshake(o);
            default -> throw new IllegalArgumentException("unknown scenario '" + scenario + "': use idle, fanout, unicast or handshake");
        };
    }

    private static WorkerSpec spec(Options o, String mode) {
        return new WorkerSpec(o.host(), o.port(), o.protocol(), mode, 0, o.connections(), o.concurrency(), o.secret(),
                o.team(), o.event(), Math.max(1, o.workerThreads()));
    }

    private static Map<String, Object> params(Options o, String... keys) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("connections", o.connections());
        all.put("rate", o.rate());
        all.put("seconds", o.seconds());
        all.put("holdSeconds", o.holdSeconds());
        all.put("perWorker", o.perWorker());
        all.put("concurrency", o.concurrency());
        all.put("warmupSeconds", o.warmupSeconds());
        Map<String, Object> p = new LinkedHashMap<>();
        for (String k : keys) p.put(k, all.get(k));
        return p;
    }

    /** Opens every connection of the pool and waits until each has succeeded or failed. */
    private static WorkerPool.Totals ramp(WorkerPool pool, Options o, Progress progress) throws InterruptedException {
        int n = o.connections();
        progress.phase(() -> {
            var t = pool.totals();
            return new Progress.State((t.authenticated() + t.failed()) / (double) n,
                    String.format("connecting %d/%d  failed %d  (%d workers)", t.authenticated(), n, t.failed(), pool.size()));
        });
        long lastChange = System.nanoTime();
        long lastSeen = -1;
        while (true) {
            var t = pool.totals();
            long settled = t.authenticated() + t.failed();
            if (t.reporting() == pool.size() && settled >= n) return t;
            if (settled != lastSeen) {
                lastSeen = settled;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > 30_000_000_000L) {
                return t; // stalled for 30 s: report what connected
            }
            Thread.sleep(50);
        }
    }

    private static double handshakeRate(WorkerPool.Totals t) {
        double secs = (t.lastAuthNanos() - t.firstAttemptNanos()) / 1e9;
        return secs > 0 ? t.authenticated() / secs : 0;
    }

    private static Result idle(Options o) throws Exception {
        Result r = Result.of("idle", o.target(), o.protocol(), params(o, "connections", "holdSeconds", "perWorker", "concurrency"));
        ServerProbe probe = new ServerProbe(o.serverPid(), o.memoryUrl());
        ServerProbe.Memory before = probe.enabled() ? probe.read() : null;
        try (Progress progress = new Progress("idle " + o.target()); WorkerPool pool = WorkerPool.start(spec(o, "hold"), o.connections(), o.perWorker())) {
            var ramped = ramp(pool, o, progress);
            long holdStart = System.nanoTime();
            long holdNanos = (long) (o.holdSeconds() * 1e9);
            progress.phase(() -> {
                var t = pool.totals();
                return new Progress.State((System.nanoTime() - holdStart) / (double) holdNanos,
                        String.format("holding %d open  dropped %d", t.open(), t.dropped()));
            });
            while (System.nanoTime() - holdStart < holdNanos) Thread.sleep(100);
            ServerProbe.Memory after = null;
            if (probe.enabled()) {
                progress.phase(() -> new Progress.State(-1, "reading server memory (GC)"));
                after = probe.read();
            }
            var end = pool.finish();
            r.put("connected", ramped.authenticated()).put("failed", ramped.failed())
                    .put("handshakesPerSec", Math.round(handshakeRate(ramped)))
                    .put("openAtEnd", end.open()).put("droppedWhileHeld", end.dropped());
            if (!ramped.failures().isEmpty()) r.note("failures: " + ramped.failures());
            if (before != null && after != null && ramped.authenticated() > 0) {
                long n = ramped.authenticated();
                if (before.heapBytes() >= 0 && after.heapBytes() >= 0) {
                    long perConn = (after.heapBytes() - before.heapBytes()) / n;
                    r.put("heapBytesBefore", before.heapBytes()).put("heapBytesAfter", after.heapBytes())
                            .put("heapBytesPerConnection", perConn);
                }
                if (before.rssBytes() >= 0) {
                    long perConn = (after.rssBytes() - before.rssBytes()) / n;
                    r.put("rssBytesBefore", before.rssBytes()).put("rssBytesAfter", after.rssBytes())
                            .put("rssBytesPerConnection", perConn);
                    if (perConn > 0) {
                        long projected = (16L << 30) / perConn;
                        r.put("computedConnectionsPer16GiB", projected);
                        r.note("computedConnectionsPer16GiB is computed from the measured RSS per connection, not measured (20 000 files per process here)");
                    }
                }
            } else if (!probe.enabled()) {
                r.note("no --server-pid/--memory-url: server memory not measured");
            }
        }
        return r;
    }

    private static Result fanout(Options o) throws Exception {
        Result r = Result.of("fanout", o.target(), o.protocol(), params(o, "connections", "rate", "seconds", "warmupSeconds", "perWorker"));
        String room = "team:" + o.team();
        return publishing(o, r, seq -> new Publisher.Message(true, room, o.event(), seq), true);
    }

    private static Result unicast(Options o) throws Exception {
        Result r = Result.of("unicast", o.target(), o.protocol(), params(o, "connections", "rate", "seconds", "warmupSeconds", "perWorker"));
        int n = o.connections();
        r.note(o.grpcPort() > 0 ? "published over gRPC (notifications.v1.NotificationsService/SendToUser, port " + o.grpcPort() + ")"
                : "published over REST (POST /api/v1/realtime/users/{id}/events); --grpc-port publishes with gRPC SendToUser");
        return publishing(o, r, seq -> new Publisher.Message(false,
                Tokens.userId((int) Math.floorMod(seq * 7919L, (long) n)), o.event(), seq), false);
    }

    /** gRPC for unicast when a gRPC port is given, REST otherwise. */
    private static Publisher publisher(Options o, String scenario) throws InterruptedException {
        if (scenario.equals("unicast") && o.grpcPort() > 0) {
            return new GrpcPublisher(o.host(), o.grpcPort(), o.apiKey(), o.publishConnections() * o.publishWindow());
        }
        return new HttpPublisher(o.host(), o.port(), o.apiKey(), o.publishConnections(), o.publishWindow());
    }

    /** Ramp, publish at the rate for the time, wait for deliveries to drain, count and time them. */
    private static Result publishing(Options o, Result r, java.util.function.LongFunction<Publisher.Message> next,
                                     boolean toEveryone) throws Exception {
        try (Progress progress = new Progress(r.scenario() + " " + o.target());
             WorkerPool pool = WorkerPool.start(spec(o, "hold"), o.connections(), o.perWorker())) {
            var ramped = ramp(pool, o, progress);
            long members = ramped.authenticated();
            r.put("connected", members).put("failed", ramped.failed());
            if (members == 0) {
                r.note("no connection authenticated: " + ramped.failures());
                pool.finish();
                return r;
            }
            if (o.warmupSeconds() > 0) {
                progress.phase(() -> new Progress.State(-1, String.format("warming up (%.0f s, discarded)", o.warmupSeconds())));
                try (Publisher warm = publisher(o, r.scenario())) {
                    // A tenth of the rate: enough to compile the hot paths, never a backlog that
                    // the measured phase would inherit from a saturated target.
                    warm.run(Math.max(1, o.rate() / 10), o.warmupSeconds(), seq -> next.apply(-1 - seq));
                    settle(pool, warm, toEveryone ? members : 1, o.drainSeconds());
                }
                pool.reset();
                // The reset travels as a line to each worker: wait until every one has applied it.
                long resetAt = System.nanoTime();
                while (pool.totals().received() > 0 && System.nanoTime() - resetAt < 5_000_000_000L) Thread.sleep(20);
            }
            try (Publisher pub = publisher(o, r.scenario())) {
                long total = (long) (o.rate() * o.seconds());
                long publishStart = System.nanoTime();
                progress.phase(() -> {
                    var t = pool.totals();
                    double el = (System.nanoTime() - publishStart) / 1e9;
                    return new Progress.State(pub.issued() / (double) total, String.format(
                            "published %d/%d  answered %d  delivered %d (%.0f/s)  late %d",
                            pub.issued(), total, pub.ok() + pub.failed(), t.received(), t.received() / Math.max(el, 1e-3), pub.late()));
                });
                pub.run(o.rate(), o.seconds(), next);
                long publishEnd = System.nanoTime();
                settle(pool, pub, toEveryone ? members : 1, o.drainSeconds());
                long expected = toEveryone ? pub.ok() * members : pub.ok();
                long unanswered = pub.issued() - pub.ok() - pub.failed();
                if (unanswered > 0) r.note(unanswered + " publish requests were still unanswered after the drain: the target is saturated, and their deliveries count as extra");
                var end = pool.finish();
                long delivered = end.received();
                double window = (Math.max(end.lastReceiveNanos(), publishEnd) - publishStart) / 1e9;
                r.put("publishedOk", pub.ok()).put("publishFailed", pub.failed())
                        .put("publishLate", pub.late())
                        .put("publishedPerSec", Math.round(pub.ok() / ((publishEnd - publishStart) / 1e9)))
                        .put("expectedDeliveries", expected).put("delivered", delivered)
                        .put("lost", Math.max(0, expected - delivered))
                        .put("lossPercent", expected == 0 ? 0.0 : Math.round(10000.0 * Math.max(0, expected - delivered) / expected) / 100.0)
                        .put("deliveredPerSec", Math.round(delivered / Math.max(window, 1e-3)))
                        .put("droppedConnections", end.dropped());
                latency(r, end.latency());
                if (!pub.failedStatuses().isEmpty()) r.note("publish failures by status (HTTP code, 0: connection closed with the request unanswered; or gRPC code): " + pub.failedStatuses());
                if (pub.late() > 0) r.note("publisher windows were full for " + pub.late()
                        + " messages: the target (or publisher) could not take the requested rate");
            }
        }
        return r;
    }

    /**
     * Waits until every issued request is answered and every accepted message delivered
     * ({@code perMessage} deliveries each), or until neither answers nor deliveries progressed
     * for {@code quietSeconds}: a saturated target keeps the wait going as long as it works.
     */
    private static void settle(WorkerPool pool, Publisher pub, long perMessage, double quietSeconds)
            throws InterruptedException {
        long lastSeen = -1;
        long lastChange = System.nanoTime();
        while (true) {
            long answered = pub.ok() + pub.failed();
            long got = pool.totals().received();
            if (answered >= pub.issued() && got >= pub.ok() * perMessage) return;
            long progress = answered + got;
            if (progress != lastSeen) {
                lastSeen = progress;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > (long) (quietSeconds * 1e9)) return;
            Thread.sleep(50);
        }
    }

    private static void latency(Result r, Histogram h) {
        if (h == null || h.getTotalCount() == 0) return;
        r.put("latencyP50Micros", h.getValueAtPercentile(50)).put("latencyP99Micros", h.getValueAtPercentile(99))
                .put("latencyP999Micros", h.getValueAtPercentile(99.9)).put("latencyMaxMicros", h.getMaxValue());
    }

    private static Result handshake(Options o) throws Exception {
        Result r = Result.of("handshake", o.target(), o.protocol(), params(o, "connections", "seconds", "warmupSeconds", "concurrency", "perWorker"));
        try (Progress progress = new Progress("handshake " + o.target());
             WorkerPool pool = WorkerPool.start(spec(o, "churn"), o.connections(), o.perWorker())) {
            // The clock starts at the first connection attempt, not at the fork: JVM start-up is no handshake.
            progress.phase(() -> new Progress.State(-1, "starting workers"));
            // ...and at the first completed one: class loading and the first JIT pass are no handshake either.
            long waitStart = System.nanoTime();
            while (pool.totals().reporting() < pool.size()
                    || (pool.totals().authenticated() == 0 && System.nanoTime() - waitStart < 60_000_000_000L)) Thread.sleep(20);
            long first = System.nanoTime();
            long warmNanos = (long) (o.warmupSeconds() * 1e9);
            progress.phase(() -> new Progress.State(-1, String.format("warming up (%.0f s, discarded)  handshakes %d",
                    o.warmupSeconds(), pool.totals().authenticated())));
            while (System.nanoTime() - first < warmNanos) Thread.sleep(20);
            ServerProbe probe = new ServerProbe(o.serverPid(), null);
            long cpuAtStart = probe.cpuNanos();
            var atStart = pool.totals();
            long start = System.nanoTime();
            long nanos = (long) (o.seconds() * 1e9);
            progress.phase(() -> {
                var t = pool.totals();
                double el = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
                long hs = t.authenticated() - atStart.authenticated();
                return new Progress.State(el * 1e9 / nanos, String.format("handshakes %d (%.0f/s)  failed %d",
                        hs, hs / el, t.failed() - atStart.failed()));
            });
            while (System.nanoTime() - start < nanos) Thread.sleep(50);
            var atEnd = pool.totals();
            long cpuAtEnd = probe.cpuNanos();
            double secs = (System.nanoTime() - start) / 1e9;
            pool.stop();
            var end = pool.finish();
            long hs = atEnd.authenticated() - atStart.authenticated();
            r.put("handshakes", hs).put("failed", atEnd.failed() - atStart.failed())
                    .put("handshakesPerSec", Math.round(hs / secs))
                    .put("handshakesAfterStop", end.authenticated() - atEnd.authenticated())
                    .put("handshakesIncludingWarmup", end.authenticated());
            if (cpuAtStart >= 0 && hs > 0) {
                r.put("serverCpuPercent", Math.round(100.0 * (cpuAtEnd - cpuAtStart) / (secs * 1e9)))
                        .put("serverCpuMicrosPerHandshake", Math.round((cpuAtEnd - cpuAtStart) / 1e3 / hs));
            }
            if (!end.failures().isEmpty()) r.note("failures: " + end.failures());
        }
        return r;
    }
}
