package dev.herald.bench.scenario;

import dev.herald.bench.report.Result;
import java.io.IOException;
import java.util.Map;

/**
 * The server's CPU over one phase of a run, in total and per thread group (see {@link
 * ServerProbe#group}), divided by what the phase did: µs per connection, per handshake, per
 * delivery. Silent when the run has no server pid.
 */
final class CpuWindow {
    private final ServerProbe probe;
    private final long totalAtStart;
    private final Map<Long, ServerProbe.ThreadCpu> threadsAtStart;
    private final long startNanos = System.nanoTime();

    private CpuWindow(ServerProbe probe) throws IOException {
        this.probe = probe;
        this.totalAtStart = probe.cpuNanos();
        this.threadsAtStart = probe.threadCpu();
    }

    static CpuWindow start(Options o) throws IOException {
        return new CpuWindow(new ServerProbe(o.serverPid(), null));
    }

    /**
     * Ends the window and writes {@code serverCpuPercent<suffix>}, {@code serverCpuMicrosPer<unit>}
     * and {@code serverCpuMicrosPer<unit>.<group>} for {@code count} units; nothing when no pid or
     * no unit.
     */
    void report(Result r, String unit, long count, String suffix) throws IOException {
        long total = probe.cpuNanos();
        if (totalAtStart < 0 || total < 0 || count <= 0) return;
        long used = total - totalAtStart;
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        r.put("serverCpuPercent" + suffix, Math.round(100.0 * used / (seconds * 1e9)));
        r.put("serverCpuMicrosPer" + unit, micros(used, count));
        ServerProbe.byGroup(threadsAtStart, probe.threadCpu(), used)
                .forEach((group, nanos) -> r.put("serverCpuMicrosPer" + unit + "." + group, micros(nanos, count)));
    }

    private static double micros(long nanos, long count) {
        return Math.round(nanos / 1e3 / count * 10) / 10.0;
    }
}
