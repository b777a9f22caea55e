package dev.herald.api.rest.admin;

import static dev.herald.api.rest.RestResponses.ok;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.api.auth.Caller;
import dev.herald.api.auth.ServiceAuth;
import dev.herald.api.rest.Callers;
import dev.herald.api.rest.NotificationsHttpService;
import dev.herald.api.rest.RestRouter;
import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.http.HttpRequest;
import dev.herald.core.http.HttpResponse;
import dev.herald.core.http.HttpService;
import dev.herald.core.notification.Channel;
import dev.herald.core.notification.Delivery;
import dev.herald.core.notification.DeliveryAttempt;
import dev.herald.core.notification.DeliveryStatus;
import dev.herald.core.notification.NotificationIds;
import dev.herald.core.route.ConnectionStats;
import dev.herald.core.store.DeliveryLog;
import dev.herald.core.store.DeliveryQuery;
import dev.herald.core.store.OutboxStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's view of delivery (DESIGN §4 admin routes), on the outbox and the delivery log:
 * <pre>
 * GET  /api/v1/admin/deliveries?status&amp;channel&amp;recipientId&amp;limit&amp;before → {deliveries, nextBefore}
 * POST /api/v1/admin/deliveries/{id}/replay   → the delivery, pending again (404 unknown, 409 not dead or failed)
 * GET  /api/v1/notifications/{id}/deliveries  → {notificationId, deliveries} each with its attempt history
 * GET  /api/v1/admin/stats                    → connections, deliveries by channel and status,
 *                                               queue depth and oldest due age per priority, dead letters
 * </pre>
 * Every route needs role {@code admin} or a service credential (API key or role {@code service}):
 * a user token gets {@code FORBIDDEN}, even for the deliveries of their own notification, since the
 * log holds provider errors and other users' rows are beside them.
 *
 * <p>Listing is newest first, paged by id: {@code nextBefore} is the {@code before} of the next
 * page, null on the last one.
 *
 * <p>Threading: thread-safe; blocks on the store, so call it on a virtual thread.
 */
public final class AdminHttpService implements HttpService {
    private static final Logger log = LoggerFactory.getLogger(AdminHttpService.class);
    public static final String ADMIN = "/api/v1/admin";
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;
    private static final int MAX_BODY_BYTES = 64 * 1024;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String STATUSES = Arrays.stream(DeliveryStatus.values()).map(DeliveryStatus::wire)
            .collect(Collectors.joining(", "));

    private final OutboxStore outbox;
    private final DeliveryLog deliveryLog;
    private final Supplier<ConnectionStats> connections;
    private final ServiceAuth auth;
    private final Clock clock;
    private final RestRouter router;

    /** @param connections the cluster's connection counts (the presence registry's), read per request */
    public AdminHttpService(OutboxStore outbox, DeliveryLog deliveryLog, Supplier<ConnectionStats> connections,
                            ServiceAuth auth, Clock clock) {
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.deliveryLog = Objects.requireNonNull(deliveryLog, "deliveryLog");
        this.connections = Objects.requireNonNull(connections, "connections");
        this.auth = Objects.requireNonNull(auth, "auth");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.router = RestRouter.builder()
                .route("GET", ADMIN + "/deliveries", this::list)
                .route("POST", ADMIN + "/deliveries/{id}/replay", this::replay)
                .route("GET", ADMIN + "/stats", this::stats)
                .route("GET", NotificationsHttpService.NOTIFICATIONS + "/{id}/deliveries", this::ofNotification)
                .build();
    }

    /** Every route this service answers, for the OpenAPI document's test. */
    public List<RestRouter.Route> routes() {
        return router.routes();
    }

    @Override
    public Optional<HttpResponse> handle(HttpRequest request) {
        String path = RestRouter.canonical(request.path());
        if (!path.startsWith(ADMIN + "/") && !path.startsWith(NotificationsHttpService.NOTIFICATIONS + "/")) return Optional.empty();
        return router.serve(request, log, MAX_BODY_BYTES);
    }

    private HttpResponse list(HttpRequest request, Map<String, String> p) {
        Callers.admin(auth, request);
        DeliveryStatus status = request.queryParam("status").filter(s -> !s.isBlank()).map(s -> {
            DeliveryStatus st = DeliveryStatus.fromWire(s);
            if (st == null) throw invalid("status: unknown status '" + clip(s) + "' (" + STATUSES + ")");
            return st;
        }).orElse(null);
        Channel channel = request.queryParam("channel").filter(s -> !s.isBlank()).map(c -> Channel.parse("channel", clip(c))).orElse(null);
        String recipient = request.queryParam("recipientId").filter(s -> !s.isBlank()).map(Callers::userId).orElse(null);
        String before = request.queryParam("before").filter(s -> !s.isBlank()).orElse(null);
        if (before != null && !NotificationIds.isValid(before)) throw invalid("before: must be a delivery id");
        int limit = limit(request);
        // One more than asked tells whether there is a next page.
        List<Delivery> rows = outbox.find(new DeliveryQuery(null, null, recipient, status, channel, before, limit + 1));
        ObjectNode out = NODES.objectNode();
        ArrayNode list = out.putArray("deliveries");
        rows.stream().limit(limit).forEach(d -> list.add(DeliveryJson.delivery(d)));
        out.put("nextBefore", rows.size() > limit ? rows.get(limit - 1).id() : null);
        return ok(out);
    }

    /** The {@code limit} query parameter of an admin list: 1..{@link #MAX_LIMIT}, default {@link #DEFAULT_LIMIT}. */
    static int limit(HttpRequest request) {
        String v = request.queryParam("limit").orElse(null);
        if (v == null || v.isBlank()) return DEFAULT_LIMIT;
        try {
            int limit = Integer.parseInt(v.strip());
            if (limit >= 1 && limit <= MAX_LIMIT) return limit;
        } catch (NumberFormatException e) {
            // refused below
        }
        throw invalid("limit: must be a whole number between 1 and " + MAX_LIMIT);
    }

    private HttpResponse replay(HttpRequest request, Map<String, String> p) {
        Caller caller = Callers.admin(auth, request);
        String id = p.get("id");
        // Ids are UUIDs: anything else names no row, and is not handed to a store with a uuid column.
        Delivery d = (NotificationIds.isValid(id) ? outbox.find(DeliveryQuery.byId(id)) : List.<Delivery>of()).stream().findFirst()
                .orElseThrow(() -> new HeraldException(ErrorCode.NOT_FOUND, "delivery not found"));
        if (d.status() != DeliveryStatus.DEAD && d.status() != DeliveryStatus.FAILED) {
            throw conflict(d.status());
        }
        // Someone else may have replayed it in between: the store checks again, atomically.
        Delivery again = outbox.replay(id, clock.instant()).orElseThrow(() -> conflict(
                outbox.find(DeliveryQuery.byId(id)).stream().findFirst().map(Delivery::status).orElse(d.status())));
        log.info("delivery {} ({} to {}) replayed by {} after {}", id, d.target().channel().wire(),
                d.target().recipientId(), caller.id(), d.status().wire());
        return ok(DeliveryJson.delivery(again));
    }

    private static HeraldException conflict(DeliveryStatus status) {
        return new HeraldException(ErrorCode.CONFLICT, "only a dead or failed delivery can be replayed; this one is " + status.wire());
    }

    private HttpResponse ofNotification(HttpRequest request, Map<String, String> p) {
        Callers.admin(auth, request);
        String id = p.get("id");
        boolean valid = NotificationIds.isValid(id);
        List<Delivery> deliveries = valid ? outbox.find(DeliveryQuery.ofNotification(id)) : List.of();
        Map<String, List<DeliveryAttempt>> history = (valid ? deliveryLog.ofNotification(id) : List.<DeliveryAttempt>of())
                .stream().collect(Collectors.groupingBy(DeliveryAttempt::deliveryId));
        ObjectNode out = NODES.objectNode().put("notificationId", id);
        ArrayNode list = out.putArray("deliveries");
        deliveries.forEach(d -> list.add(DeliveryJson.delivery(d, history.getOrDefault(d.id(), List.of()))));
        return ok(out);
    }

    private HttpResponse stats(HttpRequest request, Map<String, String> p) {
        Callers.admin(auth, request);
        Instant now = clock.instant();
        return ok(DeliveryJson.stats(outbox.stats(now), connections.get(), now));
    }

    private static HeraldException invalid(String message) {
        return new HeraldException(ErrorCode.INVALID_ARGUMENT, message);
    }

    private static String clip(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }
}
