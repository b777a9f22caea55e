package dev.herald.bench.scenario;

import dev.herald.bench.report.Result;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The server's CPU over one phase of a run, in total and per thread group (see {@link
 * ServerProbe#group}), divided by what the phase did: µs per connection, per handshake, per
 * delivery. For a cluster the figures are summed over its nodes (what the cluster spent for the
 * work), with each node's share and the broker's (Redis or NATS server) beside them. Silent when
 * the run has no server pid.
 */
final class CpuWindow {
    /** One process's CPU at the start of the window. */
    private record Start(ServerProbe probe, long total, Map<Long, ServerProbe.ThreadCpu> threads) {
        static Start of(long pid) throws IOException {
            ServerProbe p = new ServerProbe(pid, null);
            return new Start(p, p.cpuNanos(), p.threadCpu());
        }
    }

    private final List<Start> nodes = new ArrayList<>();
    private final List<Start> brokers = new ArrayList<>();
    private final long startNanos = System.nanoTime();

    private CpuWindow(long[] pids, long[] brokerPids) throws IOException {
        for (long pid : pids) nodes.add(Start.of(pid));
        for (long pid : brokerPids) brokers.add(Start.of(pid));
    }

    static CpuWindow start(Options o) throws IOException {
        long[] pids = o.cluster().pids().length > 0 ? o.cluster().pids() : new long[] {o.serverPid()};
        return new CpuWindow(pids, o.cluster().brokerPids());
    }

    /**
     * Ends the window and writes {@code serverCpuPercent<suffix>}, {@code serverCpuMicrosPer<unit>}
     * and {@code serverCpuMicrosPer<unit>.<group>} for {@code count} units (summed over the nodes of
     * a cluster, which then also get {@code nodeCpuMicrosPer<unit>.n<i>}, n1 the publishing node,
     * and {@code brokerCpuMicrosPer<unit>}, summed and {@code .<process name>}); nothing when no pid or no unit.
     */
    void report(Result r, String unit, long count, String suffix) throws IOException {
        if (count <= 0 || nodes.isEmpty()) return;
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        long used = 0;
        Map<String, Long> groups = new TreeMap<>();
        long[] perNode = new long[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            Start s = nodes.get(i);
            long total = s.probe().cpuNanos();
            if (s.total() < 0 || total < 0) return;
            perNode[i] = total - s.total();
            used += perNode[i];
            ServerProbe.byGroup(s.threads(), s.probe().threadCpu(), perNode[i]).forEach((g, n) -> groups.merge(g, n, Long::sum));
        }
        r.put("serverCpuPercent" + suffix, Math.round(100.0 * used / (seconds * 1e9)));
        r.put("serverCpuMicrosPer" + unit, micros(used, count));
        groups.forEach((group, nanos) -> r.put("serverCpuMicrosPer" + unit + "." + group, micros(nanos, count)));
        if (nodes.size() > 1) {
            for (int i = 0; i < perNode.length; i++) r.put("nodeCpuMicrosPer" + unit + ".n" + (i + 1), micros(perNode[i], count));
        }
        if (!brokers.isEmpty()) {
            long sum = 0;
            for (Start b : brokers) {
                long spent = b.probe().cpuNanos() - b.total();
                sum += spent;
                r.put("brokerCpuMicrosPer" + unit + "." + b.probe().processName(), micros(spent, count));
            }
            r.put("brokerCpuPercent" + suffix, Math.round(100.0 * sum / (seconds * 1e9)));
            r.put("brokerCpuMicrosPer" + unit, micros(sum, count));
        }
    }

    /** Microseconds per unit, one decimal. */
    static double micros(long nanos, long count) {
        return Math.round(nanos / 1e3 / count * 10) / 10.0;
    }
}
