package dev.herald.server.security;

import dev.herald.core.Json;
import dev.herald.core.http.HttpRequest;
import dev.herald.core.http.HttpResponse;
import dev.herald.core.http.HttpService;
import dev.herald.core.limit.RateLimited;
import dev.herald.core.limit.RateLimiter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rate limits of the REST API, placed before the API's services: it answers only a refusal
 * ({@code 429 RATE_LIMITED} with {@code retryAfter} and {@code Retry-After}, in seconds) and
 * otherwise lets the next service answer. Every {@code /api/} request spends from its caller's
 * per-second budget; a broadcast route (a POST under {@code /api[/v1]/realtime/} whose path has a
 * {@code rooms} or {@code broadcast…} segment, so routes added later are covered by name) spends
 * from the caller's broadcast budget too.
 *
 * <p>The caller is its credential, known before any token is verified (so a flood costs no
 * signature check): {@link #callerKey} digests the bearer token or API key, and a request without
 * one is keyed by its client IP.
 */
final class ApiRateLimit implements HttpService {
    private static final Pattern API = Pattern.compile("^/api(/v1)?/.*");
    private static final Pattern BROADCAST = Pattern.compile("^/api(/v1)?/realtime/(.*/)?(rooms|broadcast[^/]*)(/.*)?$");

    private final RateLimiter requests;
    private final RateLimiter broadcasts;

    ApiRateLimit(RateLimiter requests, RateLimiter broadcasts) {
        this.requests = requests;
        this.broadcasts = broadcasts;
    }

    static boolean isBroadcast(String method, String path) {
        return "POST".equals(method) && BROADCAST.matcher(path).matches();
    }

    @Override
    public Optional<HttpResponse> handle(HttpRequest request) {
        if (!API.matcher(request.path()).matches()) return Optional.empty();
        String caller = callerKey(request.header("authorization").orElse(null), request.header("x-api-key").orElse(null),
                request.remoteAddress());
        RateLimited refusal = requests.check(caller, "requests");
        if (refusal == null && isBroadcast(request.method(), request.path())) refusal = broadcasts.check(caller, "broadcasts");
        return refusal == null ? Optional.empty() : Optional.of(tooMany(refusal));
    }

    static HttpResponse tooMany(RateLimited refusal) {
        var body = Json.error(refusal.code(), refusal.getMessage());
        ((com.fasterxml.jackson.databind.node.ObjectNode) body.get("error")).put("retryAfter", refusal.retryAfterSeconds());
        return HttpResponse.json(429, Json.write(body)).withHeader("Retry-After", Long.toString(refusal.retryAfterSeconds()));
    }

    /** {@code cred:<digest>} of the bearer credential or API key, else {@code ip:<address>}. */
    static String callerKey(String authorization, String apiKey, String remoteAddress) {
        String credential = null;
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) credential = authorization.substring(7).strip();
        if ((credential == null || credential.isEmpty()) && apiKey != null) credential = apiKey.strip();
        if (credential == null || credential.isEmpty()) return "ip:" + (remoteAddress == null ? "unknown" : remoteAddress);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(credential.getBytes(StandardCharsets.UTF_8));
            return "cred:" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
