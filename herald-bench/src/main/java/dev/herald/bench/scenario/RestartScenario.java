package dev.herald.bench.scenario;

import dev.herald.bench.client.Tokens;
import dev.herald.bench.report.Progress;
import dev.herald.bench.report.Result;
import dev.herald.bench.worker.WorkerPool;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A node restarted under its clients (DESIGN §9 {@code restart}): official-client connections with
 * the client's own reconnection, the node stopped with SIGTERM or killed with SIGKILL, notifications
 * created meanwhile through a second node on the same database, the node started again. Reports
 * the time from the stop until 99 % and 100 % of the clients are back and their {@code
 * notifications:sync} has answered, whether every notification of the outage reached its user, and
 * the new node's CPU from its exec until the last client was back, per reconnection and per thread
 * group (its start, its JIT catching up and the storm together).
 *
 * <p>The generator owns the node's restart: {@code --start-script} is a bash script that starts
 * the node with the same settings and prints its pid on its first line; the new pid is written to
 * {@code <out>/restarted.pid} so that bench/run.sh can stop it afterwards.
 */
public final class RestartScenario {
    /**
     * @param signal        TERM (a deploy's graceful stop) or KILL (a crash)
     * @param notifications created through the second node while this one is down
     * @param outagePort    the second node's client port (REST)
     * @param startScript   starts the node again and prints its pid first
     * @param out           where {@code restarted.pid} goes (may be null)
     */
    public record Settings(String signal, int notifications, int outagePort, Path startScript, Path out) {
        public Settings {
            if (!signal.equals("TERM") && !signal.equals("KILL")) throw new IllegalArgumentException("--signal must be TERM or KILL");
            if (notifications < 0) throw new IllegalArgumentException("--outage-notifications must be 0 or more");
        }
    }

    private RestartScenario() {}

    static Result run(Options o, Settings restart) throws Exception {
        if (!WorkerPool.official(o.protocol())) throw new IllegalArgumentException("restart needs --protocol official (the client's own reconnection)");
        if (restart == null || restart.startScript() == null || restart.outagePort() <= 0) {
            throw new IllegalArgumentException("restart needs --start-script and --outage-port (bench/run.sh sets both)");
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("connections", o.connections());
        params.put("signal", restart.signal());
        params.put("outageNotifications", restart.notifications());
        params.put("perWorker", o.perWorker());
        Result r = Result.of("restart", o.target(), o.protocol(), params);
        int n = o.connections();
        try (Progress progress = new Progress("restart " + o.target());
             WorkerPool pool = WorkerPool.start(Scenarios.spec(o, "reconnect"), n, o.perWorker());
             HttpClient nodeB = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            var ramped = Scenarios.ramp(pool, o, progress);
            r.put("connected", ramped.authenticated()).put("failed", ramped.failed());
            if (ramped.authenticated() < n) {
                r.note("only " + ramped.authenticated() + " of " + n + " connected: " + ramped.failures());
                pool.finish();
                return r;
            }
            // The outage's notifications must exist before the node serves again, or a client may
            // sync before they do (node B relays nothing to A): a client already connected to B,
            // not one that loads its classes and connects meanwhile, keeps that window small for
            // a node that starts in under a second, as the reference does.
            awaitHealthy(nodeB, o.host(), restart.outagePort());
            ProcessHandle node = ProcessHandle.of(o.serverPid())
                    .orElseThrow(() -> new IllegalStateException("no server process " + o.serverPid()));
            progress.phase(() -> new Progress.State(-1, "stopping the node (" + restart.signal() + ")"));
            long overflowsBefore = ListenOverflows.read();
            long stopAt = System.nanoTime();
            if (restart.signal().equals("KILL")) node.destroyForcibly();
            else node.destroy();
            node.onExit().get(120, TimeUnit.SECONDS);
            long exitedAt = System.nanoTime();
            // As in a deploy, the node starts again at once while other services go on creating
            // notifications for its users; they must all be created before it is healthy.
            var outage = CompletableFuture.supplyAsync(() -> createDuringOutage(nodeB, o, restart, n), task -> Thread.ofVirtual().start(task));
            long restartAt = System.nanoTime();
            long newPid = start(restart.startScript(), restart.out());
            long healthyAt = awaitHealthy(o.host(), o.port());
            Created outageCreated = outage.get(120, TimeUnit.SECONDS);
            int created = outageCreated.count();
            long createdAt = outageCreated.doneAt();
            long target99 = (long) Math.ceil(n * 0.99);
            long atFirst = -1, at99 = -1, at100 = -1, outageAllAt = -1;
            Map<String, Long> newNodeCpu = Map.of();
            long deadline = System.nanoTime() + 180_000_000_000L;
            progress.phase(() -> {
                var t = pool.totals();
                return new Progress.State(t.resynced() / (double) n,
                        String.format("back and synced %d/%d  outage notifications %d/%d", t.resynced(), n, t.outageReceived(), created));
            });
            while (System.nanoTime() < deadline && (at100 < 0 || outageAllAt < 0)) {
                var t = pool.totals();
                long now = System.nanoTime();
                if (atFirst < 0 && t.resynced() > 0) atFirst = now;
                if (at99 < 0 && t.resynced() >= target99) at99 = now;
                if (at100 < 0 && t.resynced() >= n) {
                    at100 = now;
                    newNodeCpu = cpuSinceStart(newPid);
                }
                if (outageAllAt < 0 && t.outageReceived() >= created) outageAllAt = now;
                Thread.sleep(20);
            }
            var end = pool.finish();
            r.put("stopSeconds", seconds(exitedAt - stopAt))
                    .put("downSeconds", seconds(healthyAt - stopAt))
                    .put("startSeconds", seconds(healthyAt - restartAt))
                    .put("firstResyncedSeconds", atFirst < 0 ? -1 : seconds(atFirst - stopAt))
                    .put("resynced99Seconds", at99 < 0 ? -1 : seconds(at99 - stopAt))
                    .put("resynced100Seconds", at100 < 0 ? -1 : seconds(at100 - stopAt))
                    .put("resynced", end.resynced()).put("reconnected", end.reconnected())
                    .put("outageNotifications", created).put("outageNotificationsReceived", end.outageReceived())
                    .put("outageAllReceivedSeconds", outageAllAt < 0 ? -1 : seconds(outageAllAt - stopAt))
                    .put("outageCreatedSeconds", seconds(createdAt - stopAt))
                    .put("listenOverflows", overflowsBefore < 0 ? -1 : ListenOverflows.read() - overflowsBefore);
            for (var cpu : newNodeCpu.entrySet()) {
                r.put("newNodeCpuMicrosPerReconnection" + cpu.getKey(), CpuWindow.micros(cpu.getValue(), n));
            }
            r.note("times are from the signal; the node was started again as soon as the old process had exited, while "
                    + created + " notifications were created through the second node (pid " + newPid + " is the new node)");
            if (createdAt > healthyAt) r.note("the outage notifications were still being created when the node was healthy again");
            if (at100 < 0) r.note("not every client was back and synced within 180 s");
            if (!end.failures().isEmpty()) r.note("failures: " + end.failures());
        }
        return r;
    }

    /**
     * The process's CPU since it started, in all ({@code ""}) and per thread group ({@code ".jit"},
     * …); empty when it cannot be read (gone, or a pid of another machine).
     */
    private static Map<String, Long> cpuSinceStart(long pid) {
        try {
            ServerProbe probe = new ServerProbe(pid, null);
            long total = probe.cpuNanos();
            Map<String, Long> out = new LinkedHashMap<>();
            out.put("", total);
            ServerProbe.byGroup(Map.of(), probe.threadCpu(), total).forEach((group, nanos) -> out.put("." + group, nanos));
            return out;
        } catch (IOException | RuntimeException unreadable) {
            return Map.of();
        }
    }

    private static double seconds(long nanos) {
        return Math.round(nanos / 1e6) / 1000.0;
    }

    private record Created(int count, long doneAt) {}

    /**
     * One notification to each of the first users, through the node that stays up, while the other
     * is down: 16 at a time, as several services would.
     */
    private static Created createDuringOutage(HttpClient http, Options o, Settings restart, int n) {
        int count = Math.min(restart.notifications(), n);
        URI uri = URI.create("http://" + o.host() + ":" + restart.outagePort() + Scenarios.NOTIFICATIONS_PATH);
        Semaphore inFlight = new Semaphore(16);
        try (ExecutorService each = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> sends = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String body = "{\"recipients\":[\"" + Tokens.userId(i) + "\"],\"type\":\"bench\",\"title\":\"During the outage\","
                        + "\"message\":\"Created while a node was down\",\"data\":{\"outage\":true,\"seq\":" + i + "}}";
                HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + o.apiKey()).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                inFlight.acquireUninterruptibly();
                sends.add(each.submit(() -> {
                    try {
                        HttpResponse<String> res = http.send(request, HttpResponse.BodyHandlers.ofString());
                        if (res.statusCode() / 100 != 2) throw new IOException("creating an outage notification: HTTP " + res.statusCode());
                        return null;
                    } finally {
                        inFlight.release();
                    }
                }));
            }
            for (Future<?> send : sends) send.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return new Created(count, System.nanoTime());
    }

    private static long start(Path script, Path out) throws IOException {
        Process p = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.PIPE).start();
        String first = new String(p.getInputStream().readNBytes(32), StandardCharsets.US_ASCII).strip().split("\\s+")[0];
        long pid = Long.parseLong(first);
        if (out != null) Files.writeString(out.resolve("restarted.pid"), pid + "\n");
        return pid;
    }

    private static long awaitHealthy(String host, int port) throws InterruptedException {
        // HTTP/1.1 as a balancer's probe: the JDK's default asks for an h2c upgrade, which the
        // reference's upgrade listener takes for a WebSocket and closes.
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(1)).build()) {
            return awaitHealthy(http, host, port);
        }
    }

    private static long awaitHealthy(HttpClient http, String host, int port) throws InterruptedException {
        URI health = URI.create("http://" + host + ":" + port + "/health");
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return System.nanoTime();
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("the node on port " + port + " did not become healthy within 120 s");
    }
}
