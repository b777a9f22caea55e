package dev.herald.bench.scenario;

import dev.herald.bench.client.Publisher;
import dev.herald.bench.report.Progress;
import dev.herald.bench.report.Result;
import dev.herald.bench.worker.WorkerPool;
import java.util.function.LongFunction;
import java.util.function.LongUnaryOperator;
import org.HdrHistogram.Histogram;

/**
 * The shape every publishing scenario shares (fanout, unicast, pipeline): ramp the connections,
 * warm up, publish at the rate for the time, wait for deliveries to drain, then count and time
 * them. The scenario says what one request is and how many deliveries it should cause.
 */
final class Publishing {
    /** Opens a fresh publisher: one for the warm-up, one for the measurement. */
    interface Opener<M> {
        Publisher<M> open() throws InterruptedException;
    }

    private Publishing() {}

    /**
     * @param next              request {@code seq} (negative during the warm-up)
     * @param deliveriesPerRequest from the number of authenticated connections, the deliveries one
     *                          accepted request should cause
     */
    static <M> Result run(Options o, Result r, Opener<M> opener, LongFunction<M> next,
                          LongUnaryOperator deliveriesPerRequest) throws Exception {
        try (Progress progress = new Progress(r.scenario() + " " + o.target());
             WorkerPool pool = WorkerPool.start(Scenarios.spec(o, "hold"), o.connections(), o.perWorker())) {
            CpuWindow rampCpu = CpuWindow.start(o);
            var ramped = Scenarios.ramp(pool, o, progress);
            rampCpu.report(r, "Connection", ramped.authenticated(), "Ramp");
            long members = ramped.authenticated();
            r.put("connected", members).put("failed", ramped.failed());
            if (ramped.failed() > 0 && members > 0) r.note("connections that failed, by reason: " + ramped.failures());
            if (members == 0) {
                r.note("no connection authenticated: " + ramped.failures());
                pool.finish();
                return r;
            }
            long perRequest = deliveriesPerRequest.applyAsLong(members);
            if (o.warmupSeconds() > 0) {
                // The measured phase reads /metrics at its start: read it here first, so that request
                // is in the JIT's profiles of the HTTP path before the measurement, as a scraped
                // server's is. Read first in the measured phase, it deoptimized Herald's compiled
                // REST handling (a branch of the router never taken in the warm-up).
                ServerLatency.start(o);
                progress.phase(() -> new Progress.State(-1, String.format("warming up (%.0f s, discarded)", o.warmupSeconds())));
                try (Publisher<M> warm = opener.open()) {
                    // A tenth of the rate by default: enough to compile the hot paths, never a backlog
                    // that the measured phase would inherit from a saturated target. The step to the
                    // full rate then costs recompiles inside the measurement (bench/RESULTS.md,
                    // 2026-12-04): --warmup-rate 1 measures the steady state instead.
                    warm.run(Math.max(1, (int) Math.round(o.rate() * o.warmupRate())), o.warmupSeconds(), seq -> next.apply(-1 - seq));
                    settle(pool, warm, perRequest, o.drainSeconds());
                }
                pool.reset();
                // The reset travels as a line to each worker: wait until every one has applied it.
                long resetAt = System.nanoTime();
                while (pool.totals().received() > 0 && System.nanoTime() - resetAt < 5_000_000_000L) Thread.sleep(20);
            }
            try (Publisher<M> pub = opener.open()) {
                long total = (long) (o.rate() * o.seconds());
                ServerLatency server = ServerLatency.start(o);
                CpuWindow cpu = CpuWindow.start(o);
                long publishStart = System.nanoTime();
                progress.phase(() -> {
                    var t = pool.totals();
                    double el = (System.nanoTime() - publishStart) / 1e9;
                    return new Progress.State(pub.issued() / (double) total, String.format(
                            "published %d/%d  answered %d  delivered %d (%.0f/s)  late %d",
                            pub.issued(), total, pub.ok() + pub.failed() + pub.refused(), t.received(), t.received() / Math.max(el, 1e-3), pub.late()));
                });
                pub.run(o.rate(), o.seconds(), next);
                long publishEnd = System.nanoTime();
                settle(pool, pub, perRequest, o.drainSeconds());
                long expected = pub.ok() * perRequest;
                long unanswered = pub.issued() - pub.ok() - pub.failed() - pub.refused();
                if (unanswered > 0) r.note(unanswered + " publish requests were still unanswered after the drain: the target is saturated, and their deliveries count as extra");
                var end = pool.finish();
                long delivered = end.received();
                double window = (Math.max(end.lastReceiveNanos(), publishEnd) - publishStart) / 1e9;
                r.put("publishedOk", pub.ok()).put("publishFailed", pub.failed()).put("publishRefused", pub.refused())
                        .put("publishUnanswered", unanswered)
                        .put("publishLate", pub.late())
                        .put("publishedPerSec", Math.round(pub.ok() / ((publishEnd - publishStart) / 1e9)))
                        .put("expectedDeliveries", expected).put("delivered", delivered)
                        .put("lost", Math.max(0, expected - delivered))
                        .put("lossPercent", expected == 0 ? 0.0 : Math.round(10000.0 * Math.max(0, expected - delivered) / expected) / 100.0)
                        .put("deliveredPerSec", Math.round(delivered / Math.max(window, 1e-3)))
                        .put("droppedConnections", end.dropped());
                latency(r, end.latency());
                Histogram answers = pub.answerLatency();
                if (answers != null && answers.getTotalCount() > 0) {
                    r.put("answerP50Micros", answers.getValueAtPercentile(50)).put("answerP99Micros", answers.getValueAtPercentile(99));
                }
                // Publish and drain: every request's handling and every delivery are inside; the
                // closing /metrics read is not.
                cpu.report(r, "Delivery", delivered, "");
                if (server != null) server.report(r);
                if (!pub.failedStatuses().isEmpty()) r.note("publish failures by status (HTTP code, 0: connection closed with the request unanswered; or gRPC code): " + pub.failedStatuses());
                if (pub.refused() > 0) r.note(pub.refused() + " publishes were refused OVERLOADED (503, Retry-After): the target's fan-out"
                        + " backlog was full; nothing was sent for them, so no delivery is expected");
                if (pub.late() > 0) r.note("publisher windows were full for " + pub.late()
                        + " messages: the target (or publisher) could not take the requested rate");
            }
        }
        return r;
    }

    /**
     * Waits until every issued request is answered and every accepted one delivered
     * ({@code perRequest} deliveries each), or until neither answers nor deliveries progressed
     * for {@code quietSeconds}: a saturated target keeps the wait going as long as it works.
     */
    private static void settle(WorkerPool pool, Publisher<?> pub, long perRequest, double quietSeconds)
            throws InterruptedException {
        long lastSeen = -1;
        long lastChange = System.nanoTime();
        while (true) {
            long answered = pub.ok() + pub.failed() + pub.refused();
            long got = pool.totals().received();
            if (answered >= pub.issued() && got >= pub.ok() * perRequest) return;
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
}
