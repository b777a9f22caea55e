package dev.herald.api.membership;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.Json;
import dev.herald.core.auth.Principal;
import dev.herald.core.route.MembershipCheck;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * {@link MembershipCheck} over HTTP ({@code MEMBERSHIP_URL}): POSTs {@code {"userId", "room"}} to
 * the owning service, which answers 200 {@code {"allowed": true|false}}. An answer is reused for
 * {@code cacheFor} per user and room. Fails closed: no answer in time, a connection error, any
 * other status or body is {@code UNAVAILABLE} (the join is refused, nothing cached), so an outage of
 * the owning service never lets a user into a room.
 *
 * <p>Threading: thread-safe; {@link #isMember} blocks (the JDK client on virtual threads), and the
 * session handler calls it on the session's virtual thread, never on an event loop.
 */
public final class HttpMembershipCheck implements MembershipCheck, AutoCloseable {
    /** Cached answers kept at most; past it the cache is emptied (answers are cheap to ask again). */
    static final int MAX_CACHED = 10_000;

    private final URI url;
    private final Optional<String> token;
    private final Duration cacheFor;
    private final Duration timeout;
    private final Clock clock;
    private final HttpClient http;
    private final Map<String, Answer> cache = new ConcurrentHashMap<>();

    private record Answer(boolean allowed, Instant until) {}

    public HttpMembershipCheck(URI url, Optional<String> token, Duration cacheFor, Duration timeout, Clock clock) {
        this.url = url;
        this.token = token;
        this.cacheFor = cacheFor;
        this.timeout = timeout;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    }

    @Override
    public boolean isMember(Principal principal, String room) {
        String key = principal.userId() + "\n" + room;
        Instant now = clock.instant();
        Answer cached = cache.get(key);
        if (cached != null && cached.until().isAfter(now)) return cached.allowed();
        boolean allowed = ask(principal.userId(), room);
        if (!cacheFor.isZero()) {
            if (cache.size() >= MAX_CACHED) cache.clear();
            cache.put(key, new Answer(allowed, now.plus(cacheFor)));
        }
        return allowed;
    }

    private boolean ask(String userId, String room) {
        String body = Json.write(Json.object().put("userId", userId).put("room", room));
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        token.ifPresent(t -> request.header("authorization", "Bearer " + t));
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw unavailable("did not answer (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("was interrupted");
        }
        if (response.statusCode() != 200) throw unavailable("answered HTTP " + response.statusCode());
        JsonNode allowed;
        try {
            allowed = Json.MAPPER.readTree(response.body()).path("allowed");
        } catch (IOException | RuntimeException e) {
            throw unavailable("answered something other than JSON");
        }
        if (!allowed.isBoolean()) throw unavailable("answered without a boolean \"allowed\"");
        return allowed.booleanValue();
    }

    private static HeraldException unavailable(String what) {
        return new HeraldException(ErrorCode.UNAVAILABLE, "the membership service " + what + "; try again later");
    }

    @Override
    public void close() {
        http.close();
    }
}
