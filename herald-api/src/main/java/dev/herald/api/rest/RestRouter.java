package dev.herald.api.rest;

import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.Text;
import dev.herald.core.http.HttpRequest;
import dev.herald.core.http.HttpResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.MDC;

/**
 * The route table of one REST service: a method and a path template per route, where
 * {@code {name}} matches one percent-decoded path segment. Routing goes only through the table, so
 * {@link #routes()} is exactly what the service answers — the OpenAPI test relies on that.
 *
 * <p>Among the templates a path matches, the ones with the most literal segments win
 * ({@code /notifications/bulk} over {@code /notifications/{id}}), and a method they do not list is
 * a 405 rather than a fall-through to a vaguer template, so {@code GET /notifications/bulk} says
 * "use POST" instead of "notification bulk not found".
 *
 * <p>Every route also answers without its version: {@code /api/notifications} is
 * {@code /api/v1/notifications} (DESIGN §4; seed 001 and 003 clients call the unversioned paths),
 * see {@link #canonical}.
 *
 * <p>Threading: immutable once built; thread-safe.
 */
public final class RestRouter {
    public static final String VERSIONED = "/api/v1/";
    private static final String UNVERSIONED = "/api/";

    /** One answered route, as the OpenAPI document names it ({@code /api/v1/notifications/{id}}). */
    public record Route(String method, String template) {
        public Route {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(template, "template");
            method = method.toUpperCase(Locale.ROOT);
        }
    }

    /** What a route does; {@code params} holds the template's {@code {name}} segments, decoded. */
    @FunctionalInterface
    public interface Action {
        HttpResponse run(HttpRequest request, Map<String, String> params);
    }

    /** The outcome of routing one request. */
    public sealed interface Match {
        /** A route answers; run its action. */
        record Found(Action action, Map<String, String> params) implements Match {}

        /** The path is known but not for this method; {@code allow} is the Allow header's value. */
        record WrongMethod(String allow) implements Match {}

        /** No template matches: the path belongs to someone else (or to nobody). */
        record NotFound() implements Match {}
    }

    private record Entry(Route route, List<String> segments, int literals, Action action) {}

    private final List<Entry> entries;

    private RestRouter(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final List<Entry> entries = new ArrayList<>();

        private Builder() {}

        public Builder route(String method, String template, Action action) {
            if (!template.startsWith("/")) throw new IllegalArgumentException("a template starts with /: " + template);
            List<String> segments = split(template);
            int literals = (int) segments.stream().filter(s -> !isParam(s)).count();
            entries.add(new Entry(new Route(method, template), segments, literals, Objects.requireNonNull(action)));
            return this;
        }

        public RestRouter build() {
            return new RestRouter(entries);
        }
    }

    /** Every route, in registration order. */
    public List<Route> routes() {
        return entries.stream().map(Entry::route).toList();
    }

    /**
     * The versioned form of a path: {@code /api/x…} is {@code /api/v1/x…}; any other path is itself.
     * Services test their prefixes on this form, so both spellings reach the same route.
     */
    public static String canonical(String path) {
        if (!path.startsWith(UNVERSIONED) || path.startsWith(VERSIONED) || path.length() == UNVERSIONED.length()) return path;
        return VERSIONED + path.substring(UNVERSIONED.length());
    }

    /**
     * Routes a request (its path in either spelling, see {@link #canonical}).
     *
     * @throws HeraldException {@code INVALID_ARGUMENT} when the path has malformed percent-encoding, or a
     *     parameter decodes to U+0000 or an unpaired surrogate (named, see {@link Text})
     */
    public Match match(String method, String path) {
        List<String> raw = split(canonical(path));
        int best = -1;
        List<Entry> candidates = new ArrayList<>();
        for (Entry e : entries) {
            if (!matches(e.segments(), raw)) continue;
            if (e.literals() > best) {
                best = e.literals();
                candidates.clear();
            }
            if (e.literals() == best) candidates.add(e);
        }
        if (candidates.isEmpty()) return new Match.NotFound();
        String m = method.toUpperCase(Locale.ROOT);
        for (Entry e : candidates) {
            if (e.route().method().equals(m)) return new Match.Found(e.action(), params(e.segments(), raw));
        }
        return new Match.WrongMethod(candidates.stream().map(e -> e.route().method()).distinct()
                .collect(Collectors.joining(", ")));
    }

    /**
     * Answers a request from the table, as the routed services do: empty when no template matches
     * (the path is another service's), 405 with {@code Allow} for a known path and another method,
     * 413 for a body over {@code maxBodyBytes}, else the route's answer, with what it throws turned
     * into the error shape ({@link RestResponses#guarded}). The {@code caller} MDC key a route sets
     * is cleared afterwards.
     */
    public Optional<HttpResponse> serve(HttpRequest request, Logger log, int maxBodyBytes) {
        Match match;
        try {
            match = match(request.method(), request.path());
        } catch (HeraldException e) {
            return Optional.of(RestResponses.error(e));
        }
        return switch (match) {
            case Match.NotFound n -> Optional.empty();
            case Match.WrongMethod w -> Optional.of(RestResponses.methodNotAllowed(w.allow()));
            case Match.Found f -> Optional.of(RestResponses.guarded(request, log, () -> {
                if (request.body() != null && request.body().length > maxBodyBytes) {
                    throw new HeraldException(ErrorCode.PAYLOAD_TOO_LARGE, "the request body is over " + maxBodyBytes + " bytes");
                }
                try {
                    return f.action().run(request, f.params());
                } finally {
                    MDC.remove("caller");
                }
            }));
        };
    }

    private static boolean matches(List<String> template, List<String> raw) {
        if (template.size() != raw.size()) return false;
        for (int i = 0; i < template.size(); i++) {
            String t = template.get(i);
            if (!isParam(t) && !t.equals(raw.get(i))) return false;
        }
        return true;
    }

    private static Map<String, String> params(List<String> template, List<String> raw) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < template.size(); i++) {
            String t = template.get(i);
            if (!isParam(t)) continue;
            String name = t.substring(1, t.length() - 1);
            out.put(name, Text.require(name, decode(raw.get(i))));
        }
        return Map.copyOf(out);
    }

    private static boolean isParam(String segment) {
        return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}");
    }

    /** Non-empty segments, still encoded: literals compare encoded, parameters are decoded. */
    private static List<String> split(String path) {
        List<String> out = new ArrayList<>();
        for (String part : path.split("/")) {
            if (!part.isEmpty()) out.add(part);
        }
        return out;
    }

    /** Percent-decodes a segment; {@code +} stays a plus, since this is a path, not a form. */
    private static String decode(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "malformed percent-encoding in the path");
        }
    }
}
