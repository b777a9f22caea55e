package dev.herald.bench.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Forks worker processes ({@code java -cp <this classpath> dev.herald.bench.worker.Worker}, or for
 * protocol {@code official} a Node process on the npm {@code socket.io-client}: {@code
 * bench/official-client/worker.js}, same protocol) and aggregates what they report. Each worker
 * holds at most {@code perWorker} connections so that no process nears the 20 000 open-file cap.
 */
public final class WorkerPool implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Child> children = new ArrayList<>();

    /** One worker's process and its latest report. */
    private static final class Child {
        final Process process;
        volatile WorkerReport latest;
        volatile WorkerReport last;
        final CountDownLatch done = new CountDownLatch(1);

        Child(Process process) {
            this.process = process;
        }
    }

    /**
     * Starts enough workers to hold {@code total} users, users numbered from 0 and split evenly.
     *
     * @param template the spec each worker gets, with {@code firstUser}/{@code count} replaced
     */
    public static WorkerPool start(WorkerSpec template, int total, int perWorker) throws IOException {
        int workers = Math.max(1, (total + perWorker - 1) / perWorker);
        WorkerPool pool = new WorkerPool();
        int first = 0;
        for (int i = 0; i < workers; i++) {
            int count = total / workers + (i < total % workers ? 1 : 0);
            var spec = new WorkerSpec(template.host(), template.port(), template.protocol(), template.mode(),
                    first, count, Math.max(1, template.concurrency() / workers), template.secret(),
                    template.team(), template.event(), template.threads(), template.ports());
            first += count;
            pool.children.add(pool.fork(spec, count));
        }
        return pool;
    }

    private Child fork(WorkerSpec spec, int connections) throws IOException {
        Process p = new ProcessBuilder(command(spec, connections)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        return watch(p);
    }

    /** Whether {@code protocol} means the official npm client, run by {@link OfficialClient}. */
    public static boolean official(String protocol) {
        return OfficialClient.PROTOCOL.equalsIgnoreCase(protocol);
    }

    private static List<String> command(WorkerSpec spec, int connections) throws IOException {
        if (official(spec.protocol())) return OfficialClient.command(JSON.writeValueAsString(spec), connections);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Heap sized to the share: ~10 KB per client connection plus headroom, small enough that
        // several workers fit beside the server under test.
        int heapMb = 128 + connections / 100;
        return List.of(java, "-Xmx" + heapMb + "m", "-Xss512k", "-XX:+UseParallelGC",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Worker.class.getName(), JSON.writeValueAsString(spec));
    }

    private Child watch(Process p) {
        Child child = new Child(p);
        Thread.ofVirtual().name("worker-reader").start(() -> {
            try (var in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (!line.startsWith("{")) continue;
                    WorkerReport r = JSON.readValue(line, WorkerReport.class);
                    child.latest = r;
                    if (r.last()) child.last = r;
                }
            } catch (IOException e) {
                // The worker died; its last report stands and close() reaps it.
            } finally {
                child.done.countDown();
            }
        });
        return child;
    }

    public int size() {
        return children.size();
    }

    /** The sum of every worker's latest report (no histogram). */
    public Totals totals() {
        return Totals.of(children.stream().map(c -> c.latest).filter(r -> r != null).toList(), null);
    }

    /** Tells every worker to open no more connections (ends a churn). */
    public void stop() {
        send("stop");
    }

    /** Tells every worker to forget deliveries and latencies so far (after a warm-up). */
    public void reset() {
        send("reset");
    }

    /** Asks every worker for its final report and histogram, and waits for them to exit. */
    public Totals finish() throws InterruptedException {
        send("finish");
        List<WorkerReport> finals = new ArrayList<>();
        Histogram h = new Histogram(60_000_000L, 3);
        for (Child c : children) {
            c.done.await(30, TimeUnit.SECONDS);
            WorkerReport r = c.last != null ? c.last : c.latest;
            if (r == null) continue;
            finals.add(r);
            if (r.histogram() != null) {
                try {
                    h.add(Histogram.decodeFromCompressedByteBuffer(
                            ByteBuffer.wrap(Base64.getDecoder().decode(r.histogram())), 0));
                } catch (java.util.zip.DataFormatException e) {
                    throw new IllegalStateException("a worker sent a corrupt histogram", e);
                }
            }
        }
        return Totals.of(finals, h);
    }

    private void send(String command) {
        for (Child c : children) {
            try {
                OutputStream o = c.process.getOutputStream();
                o.write((command + "\n").getBytes(StandardCharsets.UTF_8));
                o.flush();
            } catch (IOException e) {
                // Already gone: finish() uses its latest report.
            }
        }
    }

    @Override
    public void close() {
        for (Child c : children) {
            try {
                c.process.getOutputStream().close();
            } catch (IOException ignored) {
                // closing stdin is how a worker is told to exit; it may have exited already
            }
        }
        for (Child c : children) {
            try {
                if (!c.process.waitFor(10, TimeUnit.SECONDS)) c.process.destroyForcibly();
            } catch (InterruptedException e) {
                c.process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Aggregate of the workers' reports. */
    public record Totals(long attempts, long authenticated, long open, long failed, long dropped, long received,
                         long firstAttemptNanos, long lastAuthNanos, long firstReceiveNanos, long lastReceiveNanos,
                         Map<String, Long> failures, Histogram latency, int reporting,
                         long reconnected, long resynced, long outageReceived) {
        static Totals of(List<WorkerReport> rs, Histogram h) {
            long a = 0, au = 0, o = 0, f = 0, d = 0, r = 0, rc = 0, rs2 = 0, or = 0;
            long fa = Long.MAX_VALUE, la = Long.MIN_VALUE, fr = Long.MAX_VALUE, lr = Long.MIN_VALUE;
            Map<String, Long> failures = new TreeMap<>();
            for (WorkerReport w : rs) {
                a += w.attempts(); au += w.authenticated(); o += w.open(); f += w.failed(); d += w.dropped(); r += w.received();
                rc += w.reconnected(); rs2 += w.resynced(); or += w.outageReceived();
                fa = Math.min(fa, w.firstAttemptNanos()); la = Math.max(la, w.lastAuthNanos());
                fr = Math.min(fr, w.firstReceiveNanos()); lr = Math.max(lr, w.lastReceiveNanos());
                w.failures().forEach((k, v) -> failures.merge(k, v, Long::sum));
            }
            return new Totals(a, au, o, f, d, r, fa, la, fr, lr, failures, h, rs.size(), rc, rs2, or);
        }
    }
}
