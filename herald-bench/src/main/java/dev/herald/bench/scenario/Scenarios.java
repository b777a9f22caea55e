package dev.herald.bench.scenario;

import dev.herald.bench.client.GrpcPublisher;
import dev.herald.bench.client.HttpPublisher;
import dev.herald.bench.client.Publisher;
import dev.herald.bench.client.Tokens;
import dev.herald.bench.report.Progress;
import dev.herald.bench.report.Result;
import dev.herald.bench.worker.WorkerPool;
import dev.herald.bench.worker.WorkerSpec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The scenarios. Each forks worker processes for the client connections, drives the server from
 * this process (REST or gRPC publisher, memory probe), and returns a {@link Result}; the publishing
 * ones share {@link Publishing}; {@link WebhookScenario} needs no sockets (its deliveries go to a
 * receiver in this process), nor does {@link ChannelScenario} (emails and push, to the SMTP sink
 * and FCM stand-in in this process). Figures are what was observed; nothing here asserts a time.
 */
public final class Scenarios {
    public static final String[] NAMES = {"idle", "fanout", "unicast", "handshake", "pipeline", "webhooks", "restart",
        "emails", "push"};
    /** What Herald (and the reference and ceiling) emit for a stored notification. */
    static final String NOTIFICATION_EVENT = "notification";
    static final String NOTIFICATIONS_PATH = "/api/v1/notifications";

    private Scenarios() {}

    public static Result run(String scenario, Options o) throws Exception {
        return run(scenario, o, null);
    }

    /** @param restart what only the restart scenario reads (null for the others) */
    public static Result run(String scenario, Options o, RestartScenario.Settings restart) throws Exception {
        return run(scenario, o, restart, null);
    }

    /** @param channels what only the emails and push scenarios read (null for the others) */
    public static Result run(String scenario, Options o, RestartScenario.Settings restart, ChannelSettings channels) throws Exception {
        if (o.cluster().nodes() > 1) requireClusterable(scenario, o);
        return switch (scenario) {
            case "emails", "push" -> ChannelScenario.run(scenario, o, channels == null ? ChannelSettings.NONE : channels);
            case "idle" -> idle(o);
            case "fanout" -> fanout(o);
            case "unicast" -> unicast(o);
            case "handshake" -> handshake(o);
            case "pipeline" -> pipeline(o);
            case "webhooks" -> WebhookScenario.run(o);
            case "restart" -> RestartScenario.run(o, restart);
            default -> throw new IllegalArgumentException("unknown scenario '" + scenario + "': use " + String.join(", ", NAMES));
        };
    }

    static WorkerSpec spec(Options o, String mode) {
        return new WorkerSpec(o.host(), o.port(), o.protocol(), mode, 0, o.connections(), o.concurrency(), o.secret(),
                o.team(), o.event(), Math.max(1, o.workerThreads()), o.cluster().ports());
    }

    /** A cluster run is fanout or unicast on the generator's own clients (the Node workers take one port). */
    private static void requireClusterable(String scenario, Options o) {
        if (!scenario.equals("fanout") && !scenario.equals("unicast")) {
            throw new IllegalArgumentException("--cluster-ports: only fanout and unicast run against a cluster, not " + scenario);
        }
        if (WorkerPool.official(o.protocol())) {
            throw new IllegalArgumentException("--cluster-ports: use --protocol socketio or ws (the official-client workers connect to one port)");
        }
    }

    /** Says in the report how a cluster run spread its load, and adds its size to the parameters. */
    private static void clusterNote(Result r, Options o, String publishes) {
        int k = o.cluster().nodes();
        if (k < 2) return;
        r.put("nodes", (long) k);
        r.note(k + " nodes (ports " + java.util.Arrays.toString(o.cluster().ports()) + "): user u connects to node u mod " + k
                + ", publishes go to node 1 (port " + o.port() + "); " + publishes
                + "; serverCpu* is summed over the nodes, nodeCpu* is each node's share (n1 the publishing node)"
                + (o.cluster().brokerPids().length > 0 ? ", brokerCpu* the Redis/NATS server processes' (summed, and by process name)" : ""));
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
        all.put("warmupRate", o.warmupRate());
        Map<String, Object> p = new LinkedHashMap<>();
        for (String k : keys) p.put(k, all.get(k));
        return p;
    }

    /** Opens every connection of the pool and waits until each has succeeded or failed. */
    static WorkerPool.Totals ramp(WorkerPool pool, Options o, Progress progress) throws InterruptedException {
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
            // A worker still starting (a JVM or Node process on a busy machine) is no stall.
            if (t.reporting() < pool.size() && System.nanoTime() - lastChange < 120_000_000_000L) {
                Thread.sleep(50);
                continue;
            }
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
            // A fresh server's ramp is its cold start: CPU per connection while the JIT is still cold.
            CpuWindow rampCpu = CpuWindow.start(o);
            var ramped = ramp(pool, o, progress);
            rampCpu.report(r, "Connection", ramped.authenticated(), "Ramp");
            ServerProbe.Memory afterRamp = probe.enabled() && o.serverPid() > 0 ? probe.rssOnly() : null;
            long holdStart = System.nanoTime();
            long holdNanos = (long) (o.holdSeconds() * 1e9);
            progress.phase(() -> {
                var t = pool.totals();
                return new Progress.State((System.nanoTime() - holdStart) / (double) holdNanos,
                        String.format("holding %d open  dropped %d", t.open(), t.dropped()));
            });
            Thread.sleep(Duration.ofNanos(holdNanos));
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
                if (before.rssBytes() >= 0 && afterRamp != null) {
                    // What an operator provisions for: RSS right after a fast ramp, before G1 gives heap back.
                    r.put("rssBytesPerConnectionAfterRamp", (afterRamp.rssBytes() - before.rssBytes()) / n);
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
        Result r = Result.of("fanout", o.target(), o.protocol(), params(o, "connections", "rate", "seconds", "warmupSeconds", "warmupRate", "perWorker"));
        String path = HttpPublisher.roomPath("team:" + o.team());
        clusterNote(r, o, "the room has members on every node, so node 1 delivers its own third and the broker carries each message to the others");
        return Publishing.run(o, r, () -> http(o), seq -> HttpPublisher.event(path, o.event(), seq), members -> members);
    }

    /** One message per request to one user; consecutive requests go to users far apart. */
    private static Result unicast(Options o) throws Exception {
        Result r = Result.of("unicast", o.target(), o.protocol(), params(o, "connections", "rate", "seconds", "warmupSeconds", "warmupRate", "perWorker"));
        int n = o.connections();
        int k = o.cluster().nodes();
        clusterNote(r, o, "every recipient is a user on another node than node 1, so every delivery crosses the broker");
        if (o.grpcPort() > 0) {
            r.note("published over gRPC (notifications.v1.NotificationsService/SendToUser, port " + o.grpcPort() + ")");
            return Publishing.run(o, r, () -> new GrpcPublisher(o.host(), o.grpcPort(), o.apiKey(), o.publishConnections() * o.publishWindow()),
                    seq -> new GrpcPublisher.UserEvent(user(seq, n, k), o.event(), seq), members -> 1);
        }
        r.note("published over REST (POST /api/v1/realtime/users/{id}/events); --grpc-port publishes with gRPC SendToUser");
        return Publishing.run(o, r, () -> http(o), seq -> HttpPublisher.event(HttpPublisher.userPath(user(seq, n, k)), o.event(), seq),
                members -> 1);
    }

    /**
     * Stored-and-delivered notifications: each request is {@code POST /api/v1/notifications} for
     * {@code recipientsPerRequest} consecutive users, and counts once its 202 says the rows are
     * stored and each recipient's socket got the {@code notification} event. The servers emit that
     * event name whatever {@code --event} says, so it is what the workers count.
     */
    private static Result pipeline(Options o) throws Exception {
        Options p = o.withEvent(NOTIFICATION_EVENT);
        int k = p.recipientsPerRequest();
        Map<String, Object> params = params(p, "connections", "rate", "seconds", "warmupSeconds", "warmupRate", "perWorker");
        params.put("recipientsPerRequest", k);
        params.put("publishConnections", p.publishConnections());
        params.put("publishWindow", p.publishWindow());
        Result r = Result.of("pipeline", p.target(), p.protocol(), params);
        int n = p.connections();
        Publishing.run(p, r, () -> http(p), seq -> notification(seq, n, k), members -> k);
        if (r.metrics().get("publishedPerSec") instanceof Long perSec) r.put("storedPerSec", perSec * k);
        r.note("published over REST (POST /api/v1/notifications, " + k + " recipient(s) each): 202 means stored; "
                + "storedPerSec is 202 answers/s × recipients, deliveredPerSec the notification events received");
        return r;
    }

    private static String user(long seq, int n) {
        return Tokens.userId((int) Math.floorMod(seq * 7919L, (long) n));
    }

    /**
     * As {@link #user(long, int)}, but on a cluster of {@code nodes} never a user of node 1 (users
     * {@code u} with {@code u mod nodes == 0}), the node publishes go to: a neighbour instead.
     */
    static String user(long seq, int n, int nodes) {
        int u = (int) Math.floorMod(seq * 7919L, (long) n);
        if (nodes > 1 && n > 1 && u % nodes == 0) u = u + 1 < n ? u + 1 : u - 1;
        return Tokens.userId(u);
    }

    /** The create body a backend sends: a type, a title and message, and the stamp in {@code data}. */
    private static HttpPublisher.Request notification(long seq, int n, int k) {
        long first = Math.floorMod(seq * 7919L, (long) n);
        StringBuilder to = new StringBuilder();
        for (int j = 0; j < k; j++) {
            if (j > 0) to.append(',');
            to.append('"').append(Tokens.userId((int) ((first + j) % n))).append('"');
        }
        return new HttpPublisher.Request(NOTIFICATIONS_PATH, "{\"recipients\":[" + to + "],\"type\":\"bench\",\"title\":\"Bench\","
                + "\"message\":\"Notification " + seq + "\",\"data\":" + Publisher.stamp(seq) + "}");
    }

    private static HttpPublisher http(Options o) throws InterruptedException {
        return new HttpPublisher(o.host(), o.port(), o.apiKey(), o.publishConnections(), o.publishWindow());
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
            Thread.sleep(Duration.ofNanos(warmNanos));
            CpuWindow cpu = CpuWindow.start(o);
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
            Thread.sleep(Duration.ofNanos(nanos));
            var atEnd = pool.totals();
            long hs = atEnd.authenticated() - atStart.authenticated();
            cpu.report(r, "Handshake", hs, "");
            double secs = (System.nanoTime() - start) / 1e9;
            pool.stop();
            var end = pool.finish();
            r.put("handshakes", hs).put("failed", atEnd.failed() - atStart.failed())
                    .put("handshakesPerSec", Math.round(hs / secs))
                    .put("handshakesAfterStop", end.authenticated() - atEnd.authenticated())
                    .put("handshakesIncludingWarmup", end.authenticated());
            if (!end.failures().isEmpty()) r.note("failures: " + end.failures());
        }
        return r;
    }
}
