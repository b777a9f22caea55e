package dev.herald.core.http;

import java.util.Optional;

/**
 * Serves the plain HTTP part of the client port: REST under /api/v1, /health, /ready, /metrics.
 * The gateway owns the socket; it hands every request that is not Engine.IO or /ws to the services
 * in order until one answers.
 *
 * <p>Threading: called on a virtual thread; may block. Must not throw: map failures to a response.
 */
@FunctionalInterface
public interface HttpService {
    /** Answers the request, or empty when this service does not serve that path. */
    Optional<HttpResponse> handle(HttpRequest request);
}
