package dev.herald.server.ops;

import dev.herald.core.Json;
import dev.herald.core.http.HttpRequest;
import dev.herald.core.http.HttpResponse;
import dev.herald.core.http.HttpService;
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

/**
 * {@code /health} (the process is alive), {@code /ready} (it can serve: every dependency answers and
 * it is not draining) and {@code /metrics} (Prometheus text), for load balancers and scrapers.
 */
public final class OpsEndpoints implements HttpService {
    private final Clock clock;
    private final Instant started;
    private final String nodeId;
    private final IntSupplier connections;
    private final HeraldMetrics metrics;
    private final Map<String, BooleanSupplier> checks = new LinkedHashMap<>();
    private volatile boolean draining;

    /** @param metrics null when ENABLE_METRICS is false */
    public OpsEndpoints(Clock clock, String nodeId, IntSupplier connections, HeraldMetrics metrics) {
        this.clock = clock;
        this.started = clock.instant();
        this.nodeId = nodeId;
        this.connections = connections;
        this.metrics = metrics;
    }

    /** Adds a readiness check (e.g. "store", "redis"); it must answer quickly and not throw. */
    public OpsEndpoints check(String name, BooleanSupplier healthy) {
        checks.put(name, healthy);
        return this;
    }

    /** From now on /ready answers 503, so load balancers stop sending new clients. */
    public void drain() {
        draining = true;
    }

    @Override
    public Optional<HttpResponse> handle(HttpRequest request) {
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) return Optional.empty();
        return switch (request.path()) {
            case "/health" -> Optional.of(HttpResponse.json(200, Json.write(Json.object()
                    .put("status", "ok").put("node", nodeId)
                    .put("uptimeSeconds", Duration.between(started, clock.instant()).toSeconds())
                    .put("connections", connections.getAsInt()))));
            case "/ready" -> Optional.of(ready());
            case "/metrics" -> metrics == null ? Optional.empty()
                    : Optional.of(HttpResponse.text(200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
            default -> Optional.empty();
        };
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
