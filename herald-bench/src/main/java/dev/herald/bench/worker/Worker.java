package dev.herald.bench.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.bench.client.BenchClient;
import dev.herald.bench.client.ClientStats;
import dev.herald.bench.client.Protocol;
import dev.herald.bench.client.Tokens;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * A generator child process: the coordinator forks several because each process may hold at most
 * 20 000 open files. Reads commands on stdin ({@code stop}: open no more connections; {@code reset}: forget
 * deliveries and latencies so far (end of warm-up);
 * {@code finish}: write the last report, close everything, exit) and writes {@link WorkerReport}
 * JSON lines on stdout. Exits when stdin closes, so a dead coordinator leaves no orphans.
 */
public final class Worker {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        WorkerSpec spec = JSON.readValue(args[0], WorkerSpec.class);
        if (spec.mode().equals("reconnect")) throw new IllegalArgumentException("reconnect needs --protocol official");
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        ClientStats stats = new ClientStats();
        Histogram latency = new Histogram(60_000_000L, 3);
        BenchClient client = new BenchClient(spec.host(), spec::portOf, Protocol.parse(spec.protocol()),
                new Tokens(spec.secret(), spec.team()), spec.event(), stats, spec.threads());
        var ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "worker-report");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(() -> emit(out, stats, null, false), 200, 200, TimeUnit.MILLISECONDS);
        if (spec.mode().equals("hold")) client.hold(spec.firstUser(), spec.count(), spec.concurrency());
        else client.churn(spec.firstUser(), spec.count(), spec.concurrency());

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.equals("stop")) client.stop();
            if (line.equals("reset")) stats.resetDeliveries();
            if (line.equals("finish")) break;
        }
        client.stop();
        ticker.shutdownNow();
        ticker.awaitTermination(1, TimeUnit.SECONDS);
        latency.add(stats.latencyMicros.getIntervalHistogram());
        emit(out, stats, latency, true);
        client.close();
        System.exit(0);
    }

    private static synchronized void emit(PrintStream out, ClientStats s, Histogram h, boolean last) {
        String encoded = null;
        if (h != null) {
            ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
            int n = h.encodeIntoCompressedByteBuffer(buf);
            encoded = Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buf.array(), n));
        }
        var r = new WorkerReport(last, s.attempts.sum(), s.authenticated.sum(), s.open.sum(), s.failed.sum(),
                s.dropped.sum(), s.received.sum(), s.firstAttemptNanos.get(), s.lastAuthNanos.get(),
                s.firstReceiveNanos.get(), s.lastReceiveNanos.get(), s.failureReasons(), encoded, 0, 0, 0);
        try {
            out.println(JSON.writeValueAsString(r));
            out.flush();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
