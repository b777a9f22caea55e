package dev.herald.api.rest;

import static dev.herald.api.rest.RestResponses.JSON;
import static dev.herald.api.rest.RestResponses.error;
import static dev.herald.api.rest.RestResponses.guarded;
import static dev.herald.api.rest.RestResponses.header;
import static dev.herald.api.rest.RestResponses.methodNotAllowed;
import static dev.herald.api.rest.RestResponses.objectBody;
import static dev.herald.api.rest.RestResponses.ok;
import static dev.herald.api.rest.RestResponses.optionalString;
import static dev.herald.api.rest.RestResponses.refuseNonJson;
import static dev.herald.api.rest.RestResponses.requireCleanQuery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.api.auth.Caller;
import dev.herald.api.auth.ServiceAuth;
import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.http.HttpRequest;
import dev.herald.core.http.HttpResponse;
import dev.herald.core.http.HttpService;
import dev.herald.core.ingest.LiveEvents;
import dev.herald.core.route.ConnectionStats;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * REST mirrors of the gRPC NotificationsService under {@code /api/v1/realtime}, same semantics and
 * codes, for services that do not speak gRPC:
 * <pre>
 * POST   users/{id}/events   {eventType, payload | payloadJson, correlationId} → {delivered, connectionCount}
 * POST   users/events        {userIds, eventType, payload | payloadJson, correlationId} → {totalUsers, deliveredCount, connectionsByUser}
 * POST   rooms/{room}/events {eventType, payload | payloadJson, excludeUserIds, correlationId} → {delivered, recipientCount}
 * POST   rooms/{room}/events?ackTimeoutMs=N  the same, each client asked to ack within N ms (at most 60 000)
 *                            → {recipients, acked, timedOut, responses} once all answered or timed out
 * POST   broadcast           {eventType, payload | payloadJson, excludeUserIds, correlationId} → {delivered, recipientCount}
 * GET    users/{id}          → {isConnected, connectionCount, socketIds}
 * GET    stats?teamId=       → {totalConnections, websocketConnections, pollingConnections, connectionsByTeam, connectionsByTransport}
 * DELETE users/{id}          reason in {reason} or ?reason= → {disconnectedCount}
 * </pre>
 * {@code payload} is any JSON value; {@code payloadJson} is the same as text, as gRPC sends it.
 * {@code correlationId} may also come as an {@code X-Correlation-Id} header. Every route needs a
 * service credential ({@code Authorization: Bearer} API key or service JWT, or {@code X-Api-Key}).
 */
public final class RealtimeHttpService implements HttpService {
    private static final Logger log = LoggerFactory.getLogger(RealtimeHttpService.class);
    public static final String PREFIX = "/api/v1/realtime";

    private final LiveEvents realtime;
    private final ServiceAuth auth;
    private final RestRouter router;

    public RealtimeHttpService(LiveEvents realtime, ServiceAuth auth) {
        this.realtime = realtime;
        this.auth = auth;
        this.router = table(this);
    }

    /** Every route this service answers, for the OpenAPI document's test. */
    public List<RestRouter.Route> routes() {
        return router.routes();
    }

    @Override
    public Optional<HttpResponse> handle(HttpRequest request) {
        String path = RestRouter.canonical(request.path());
        if (!path.equals(PREFIX) && !path.startsWith(PREFIX + "/")) return Optional.empty();
        return Optional.of(guarded(request, log, () -> switch (router.match(request.method(), path)) {
            case RestRouter.Match.NotFound n -> error(ErrorCode.NOT_FOUND, "no such endpoint: " + request.method() + " " + path);
            case RestRouter.Match.WrongMethod w -> methodNotAllowed(w.allow());
            case RestRouter.Match.Found f -> {
                Optional<HttpResponse> notJson = refuseNonJson(request);
                if (notJson.isPresent()) yield notJson.get();
                Caller caller = auth.requireService(ServiceAuth.credential(
                        request.header("authorization").orElse(null), request.header("x-api-key").orElse(null)));
                try (MDC.MDCCloseable c = MDC.putCloseable("caller", caller.id())) {
                    requireCleanQuery(request);
                    yield f.action().run(request, f.params());
                }
            }
        }));
    }

    private static RestRouter table(RealtimeHttpService s) {
        return RestRouter.builder()
                .route("POST", PREFIX + "/users/events", s::sendToUsers)
                .route("POST", PREFIX + "/users/{id}/events", s::sendToUser)
                .route("POST", PREFIX + "/rooms/{room}/events", s::broadcast)
                .route("POST", PREFIX + "/broadcast", s::broadcastToEveryone)
                .route("GET", PREFIX + "/users/{id}", s::isUserConnected)
                .route("DELETE", PREFIX + "/users/{id}", s::disconnectUser)
                .route("GET", PREFIX + "/stats", s::stats)
                .build();
    }

    private HttpResponse sendToUser(HttpRequest request, Map<String, String> p) {
        ObjectNode body = objectBody(request);
        String correlationId = correlationId(request, body);
        try (MDC.MDCCloseable c = mdc(correlationId)) {
            LiveEvents.Delivery d = realtime.sendToUser(p.get("id"), eventType(body), payload(body), correlationId);
            return ok(JSON.createObjectNode().put("delivered", d.delivered()).put("connectionCount", d.connectionCount()));
        }
    }

    private HttpResponse sendToUsers(HttpRequest request, Map<String, String> p) {
        ObjectNode body = objectBody(request);
        String correlationId = correlationId(request, body);
        try (MDC.MDCCloseable c = mdc(correlationId)) {
            List<String> userIds = stringList(body, "userIds");
            if (userIds == null) throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "userIds is required");
            LiveEvents.BatchDelivery d = realtime.sendToUsers(userIds, eventType(body), payload(body), correlationId);
            ObjectNode out = JSON.createObjectNode().put("totalUsers", d.totalUsers()).put("deliveredCount", d.deliveredCount());
            ObjectNode byUser = out.putObject("connectionsByUser");
            d.connectionsByUser().forEach(byUser::put);
            return ok(out);
        }
    }

    private HttpResponse broadcast(HttpRequest request, Map<String, String> p) {
        ObjectNode body = objectBody(request);
        String correlationId = correlationId(request, body);
        try (MDC.MDCCloseable c = mdc(correlationId)) {
            List<String> excluded = stringList(body, "excludeUserIds");
            Set<String> exclude = excluded == null ? Set.of() : new LinkedHashSet<>(excluded);
            Optional<String> ackTimeout = request.queryParam("ackTimeoutMs").filter(v -> !v.isBlank());
            if (ackTimeout.isPresent()) return broadcastWithAck(p.get("room"), body, exclude, ackTimeout.get(), correlationId);
            LiveEvents.Broadcast b = realtime.broadcastToRoom(p.get("room"), eventType(body), payload(body), exclude, correlationId);
            return ok(JSON.createObjectNode().put("delivered", b.delivered()).put("recipientCount", b.recipientCount()));
        }
    }

    private HttpResponse broadcastWithAck(String room, ObjectNode body, Set<String> excluded, String ackTimeoutMs, String correlationId) {
        long millis;
        try {
            millis = Long.parseLong(ackTimeoutMs.strip());
        } catch (NumberFormatException e) {
            throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "ackTimeoutMs: must be a whole number of milliseconds");
        }
        if (millis < 1 || millis > LiveEvents.MAX_ACK_TIMEOUT.toMillis()) {
            throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "ackTimeoutMs: must be between 1 and " + LiveEvents.MAX_ACK_TIMEOUT.toMillis());
        }
        LiveEvents.AckedBroadcast a = realtime.broadcastWithAck(room, eventType(body), payload(body), excluded,
                java.time.Duration.ofMillis(millis), correlationId);
        ObjectNode out = JSON.createObjectNode().put("recipients", a.recipients()).put("acked", a.acked()).put("timedOut", a.timedOut());
        var responses = out.putArray("responses");
        for (String json : a.responses()) {
            try {
                responses.add(JSON.readTree(json));
            } catch (java.io.IOException e) {
                responses.addNull();
            }
        }
        return ok(out);
    }

    /** Every client on every node (seed 001 {@code io.emit}). */
    private HttpResponse broadcastToEveryone(HttpRequest request, Map<String, String> p) {
        ObjectNode body = objectBody(request);
        String correlationId = correlationId(request, body);
        try (MDC.MDCCloseable c = mdc(correlationId)) {
            List<String> excluded = stringList(body, "excludeUserIds");
            LiveEvents.Broadcast b = realtime.broadcastToEveryone(eventType(body), payload(body),
                    excluded == null ? Set.of() : new LinkedHashSet<>(excluded), correlationId);
            return ok(JSON.createObjectNode().put("delivered", b.delivered()).put("recipientCount", b.recipientCount()));
        }
    }

    private HttpResponse isUserConnected(HttpRequest request, Map<String, String> p) {
        LiveEvents.UserConnections c = realtime.isUserConnected(p.get("id"));
        ObjectNode out = JSON.createObjectNode().put("isConnected", c.connected()).put("connectionCount", c.connectionCount());
        c.socketIds().forEach(out.putArray("socketIds")::add);
        return ok(out);
    }

    private HttpResponse stats(HttpRequest request, Map<String, String> p) {
        ConnectionStats st = realtime.stats(request.queryParam("teamId").orElse(null));
        ObjectNode out = JSON.createObjectNode().put("totalConnections", st.totalConnections())
                .put("websocketConnections", st.websocketConnections()).put("pollingConnections", st.pollingConnections());
        ObjectNode byTeam = out.putObject("connectionsByTeam");
        st.connectionsByTeam().forEach(byTeam::put);
        ObjectNode byTransport = out.putObject("connectionsByTransport");
        st.connectionsByTransport().forEach(byTransport::put);
        return ok(out);
    }

    private HttpResponse disconnectUser(HttpRequest request, Map<String, String> p) {
        String reason = optionalString(objectBody(request), "reason");
        if (reason == null) reason = request.queryParam("reason").orElse(null);
        int count = realtime.disconnectUser(p.get("id"), reason);
        log.info("REST disconnect of user {}: {} connections", p.get("id"), count);
        return ok(JSON.createObjectNode().put("disconnectedCount", count));
    }

    private static String eventType(ObjectNode body) {
        String event = optionalString(body, "eventType");
        if (event == null) throw new HeraldException(ErrorCode.INVALID_EVENT_TYPE, "eventType is required");
        return event;
    }

    /** The payload as JSON text: {@code payload} (any JSON) or {@code payloadJson} (text), not both. */
    private static String payload(ObjectNode body) {
        JsonNode payload = body.get("payload");
        String payloadJson = optionalString(body, "payloadJson");
        if (payload != null && payloadJson != null) {
            throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "send either payload or payloadJson, not both");
        }
        return payload != null ? payload.toString() : payloadJson;
    }

    private static String correlationId(HttpRequest request, ObjectNode body) {
        String id = optionalString(body, "correlationId");
        return id != null ? id : header(request, "X-Correlation-Id");
    }

    private static MDC.MDCCloseable mdc(String correlationId) {
        return correlationId == null || correlationId.isBlank() ? null : MDC.putCloseable("correlation_id", correlationId);
    }

    private static List<String> stringList(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isArray()) throw new HeraldException(ErrorCode.INVALID_ARGUMENT, field + " must be an array of strings");
        List<String> out = new ArrayList<>(v.size());
        for (JsonNode item : v) {
            if (!item.isTextual()) throw new HeraldException(ErrorCode.INVALID_ARGUMENT, field + " must be an array of strings");
            out.add(item.textValue());
        }
        return out;
    }
}
