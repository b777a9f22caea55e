package dev.herald.server.ops;

import dev.herald.core.ErrorCode;
import dev.herald.core.Json;
import dev.herald.core.http.HttpRequest;
import dev.herald.core.http.HttpResponse;
import dev.herald.core.http.HttpService;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code GET /metrics}: the Prometheus text. With METRICS_TOKEN set it needs
 * {@code Authorization: Bearer <token>} and answers 401 {@code UNAUTHENTICATED} otherwise; the
 * comparison takes the same time whatever the presented value.
 */
public final class MetricsEndpoint implements HttpService {
    private final HeraldMetrics metrics;
    private final byte[] token;

    /** @param token empty: no credential needed */
    public MetricsEndpoint(HeraldMetrics metrics, Optional<String> token) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8)).orElse(null);
    }

    @Override
    public Optional<HttpResponse> handle(HttpRequest request) {
        if (!request.path().equals("/metrics") || !(request.method().equals("GET") || request.method().equals("HEAD"))) {
            return Optional.empty();
        }
        if (token != null && !authorized(request.header("authorization").orElse(""))) {
            return Optional.of(HttpResponse.json(401, Json.write(Json.error(ErrorCode.UNAUTHENTICATED,
                    "/metrics needs Authorization: Bearer <METRICS_TOKEN>"))));
        }
        return Optional.of(HttpResponse.text(200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
    }

    private boolean authorized(String header) {
        String h = header.strip();
        if (!h.regionMatches(true, 0, "Bearer ", 0, 7)) return false;
        return MessageDigest.isEqual(token, h.substring(7).strip().getBytes(StandardCharsets.UTF_8));
    }
}
