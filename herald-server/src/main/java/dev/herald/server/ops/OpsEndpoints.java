package dev.herald.server.ops;

import dev.herald.core.Json;
import dev.herald.core.http.HttpRequest;
import dev.herald.core.http.HttpResponse;
import dev.herald.core.http.HttpService;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * {@code /health} (the process is alive) and {@code /ready} (it can serve: every dependency answers
 * and it is not draining), for load balancers; {@code /metrics} is {@link MetricsEndpoint}.
 *
 * <p>While the broker's link is down, {@code /health} still answers 200 (the process is alive and
 * keeps its clients; restarting it would not bring the broker back) but says
 * {@code "status":"degraded", "broker":"degraded"} with the time it went down, and {@code /ready}
 * lists {@code broker} as failing (503), so load balancers send new clients elsewhere.
 */
public final class OpsEndpoints implements HttpService {
    private final Clock clock;
    private final Instant started;
    private final String nodeId;
    private final IntSupplier connections;
    private final Map<String, BooleanSupplier> checks = new LinkedHashMap<>();
    private Supplier<Optional<Instant>> brokerDownSince = Optional::empty;
    private volatile boolean draining;

    public OpsEndpoints(Clock clock, String nodeId, IntSupplier connections) {
        this.clock = clock;
        this.started = clock.instant();
        this.nodeId = nodeId;
        this.connections = connections;
    }

    /** Adds a readiness check (e.g. "store", "redis"); it must answer quickly and not throw. */
    public OpsEndpoints check(String name, BooleanSupplier healthy) {
        checks.put(name, healthy);
        return this;
    }

    /** Where /health and /ready learn whether the broker's link is down (and since when). */
    public OpsEndpoints broker(Supplier<Optional<Instant>> downSince) {
        this.brokerDownSince = downSince;
        return check("broker", () -> downSince.get().isEmpty());
    }

    /** From now on /ready answers 503, so load balancers stop sending new clients. */
    public void drain() {
        draining = true;
    }

    @Override
    public Optional<HttpResponse> handle(HttpRequest request) {
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) return Optional.empty();
        return switch (request.path()) {
            case "/health" -> Optional.of(health());
            case "/ready" -> Optional.of(ready());
            default -> Optional.empty();
        };
    }

    private HttpResponse health() {
        Optional<Instant> down = brokerDownSince.get();
        var body = Json.object().put("status", down.isEmpty() ? "ok" : "degraded").put("node", nodeId)
                .put("uptimeSeconds", Duration.between(started, clock.instant()).toSeconds())
                .put("connections", connections.getAsInt())
                .put("broker", down.isEmpty() ? "ok" : "degraded");
        // Seed 000's shape beside Herald's own keys: uptime, totalConnections, memoryUsage.
        body.put("uptime", Duration.between(started, clock.instant()).toString());
        body.put("totalConnections", connections.getAsInt());
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        body.putObject("memoryUsage").put("heapUsedBytes", heap.getUsed()).put("heapCommittedBytes", heap.getCommitted())
                .put("heapMaxBytes", heap.getMax()).put("nonHeapUsedBytes", nonHeap.getUsed());
        down.ifPresent(since -> body.put("brokerDownSince", since.toString()));
        return HttpResponse.json(200, Json.write(body));
    }

    private HttpResponse ready() {
        List<String> failing = new ArrayList<>();
        for (var check : checks.entrySet()) {
            boolean ok;
            try {
                ok = check.getValue().getAsBoolean();
            } catch (RuntimeException e) {
                ok = false;
            }
            if (!ok) failing.add(check.getKey());
        }
        var body = Json.object();
        if (draining) body.put("status", "draining");
        else body.put("status", failing.isEmpty() ? "ready" : "not_ready");
        body.putArray("failing").addAll(failing.stream().map(Json.MAPPER.getNodeFactory()::textNode).toList());
        return HttpResponse.json(!draining && failing.isEmpty() ? 200 : 503, Json.write(body));
    }
}
