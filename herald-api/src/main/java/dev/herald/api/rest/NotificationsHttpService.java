package dev.herald.api.rest;

import static dev.herald.api.rest.RestResponses.JSON;
import static dev.herald.api.rest.RestResponses.error;
import static dev.herald.api.rest.RestResponses.guarded;
import static dev.herald.api.rest.RestResponses.header;
import static dev.herald.api.rest.RestResponses.methodNotAllowed;
import static dev.herald.api.rest.RestResponses.objectBody;
import static dev.herald.api.rest.RestResponses.ok;
import static dev.herald.api.rest.RestResponses.refuseNonJson;
import static dev.herald.api.rest.RestResponses.requireCleanQuery;
import static dev.herald.api.rest.RestResponses.uncheckedObjectBody;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.api.auth.Caller;
import dev.herald.api.auth.ServiceAuth;
import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.Text;
import dev.herald.core.http.HttpRequest;
import dev.herald.core.http.HttpResponse;
import dev.herald.core.http.HttpService;
import dev.herald.core.inbox.InboxQuery;
import dev.herald.core.inbox.InboxService;
import dev.herald.core.ingest.NotificationIntake;
import dev.herald.core.notification.Created;
import dev.herald.core.store.Idempotency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The durable inbox over REST (DESIGN §4), on {@link NotificationIntake} (creates) and {@link InboxService} (reads, read state):
 * <pre>
 * service  POST   /api/v1/notifications                 create → 202 {ids, notifications, replayed}
 * service  POST   /api/v1/notifications/bulk            {notifications:[…]} → 202 {results, accepted, failed}
 * service  DELETE /api/v1/users/{id}                    erase the user's data → 200 {erased}
 * user     GET    /api/v1/notifications                 ?page&amp;limit&amp;unreadOnly&amp;channel&amp;type
 *                                                       → {notifications, pagination, unreadCount}
 * user     GET    /api/v1/notifications/{id}            → the notification
 * user     PUT|PATCH /api/v1/notifications/{id}/read    → the notification, read
 * user     POST   /api/v1/notifications/read-all        → {updated}
 * user     DELETE /api/v1/notifications/{id}            → 204
 * </pre>
 * "service" routes need an API key or a JWT with role service; a user (or admin) token gets {@code FORBIDDEN}.
 * "user" routes act on the caller's own inbox; a service acts for the user named by
 * {@code ?userId=}, and a user naming someone else gets {@code FORBIDDEN}. Someone else's
 * notification is {@code NOT_FOUND}, never {@code FORBIDDEN}, so ids reveal nothing.
 *
 * <p>Bulk: every item is its own create (its own transaction and idempotency); one item's refusal
 * is reported at its index and does not stop the others, so the answer is 202 whenever the
 * envelope is valid. An {@code Idempotency-Key} header on a bulk request gives item {@code i} the
 * key {@code <header>#i} unless the item names its own, so retrying the whole batch is safe.
 *
 * <p>Bodies over 1 MB are refused with 413 and bodies labelled other than JSON with 415, before
 * anything is parsed. Paths this service does not route are left to the next service.
 *
 * <p>Threading: thread-safe; blocks on the store, so call it on a virtual thread.
 */
public final class NotificationsHttpService implements HttpService {
    private static final Logger log = LoggerFactory.getLogger(NotificationsHttpService.class);
    public static final String NOTIFICATIONS = "/api/v1/notifications";
    public static final String USERS = "/api/v1/users";
    public static final int MAX_BODY_BYTES = 1024 * 1024;
    public static final int MAX_BULK_ITEMS = 1000;
    public static final int DEFAULT_LIMIT = 20;
    private static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final NotificationIntake intake;
    private final InboxService notifications;
    private final ServiceAuth auth;
    private final RestRouter router;

    public NotificationsHttpService(NotificationIntake intake, InboxService notifications, ServiceAuth auth) {
        this.intake = Objects.requireNonNull(intake, "intake");
        this.notifications = Objects.requireNonNull(notifications, "notifications");
        this.auth = Objects.requireNonNull(auth, "auth");
        this.router = table(this);
    }

    private static RestRouter table(NotificationsHttpService s) {
        return RestRouter.builder()
                .route("POST", NOTIFICATIONS, s::create)
                .route("GET", NOTIFICATIONS, s::inbox)
                .route("POST", NOTIFICATIONS + "/bulk", s::bulk)
                .route("POST", NOTIFICATIONS + "/read-all", s::readAll)
                .route("GET", NOTIFICATIONS + "/{id}", s::get)
                .route("DELETE", NOTIFICATIONS + "/{id}", s::delete)
                .route("PUT", NOTIFICATIONS + "/{id}/read", s::markRead)
                .route("PATCH", NOTIFICATIONS + "/{id}/read", s::markRead)
                .route("DELETE", USERS + "/{id}", s::eraseUser)
                .build();
    }

    /** Every route this service answers, for the OpenAPI document's test. */
    public List<RestRouter.Route> routes() {
        return router.routes();
    }

    @Override
    public Optional<HttpResponse> handle(HttpRequest request) {
        String path = RestRouter.canonical(request.path());
        if (!under(path, NOTIFICATIONS) && !under(path, USERS)) return Optional.empty();
        RestRouter.Match match;
        try {
            match = router.match(request.method(), path);
        } catch (HeraldException e) {
            return Optional.of(error(e));
        }
        return switch (match) {
            case RestRouter.Match.NotFound n -> Optional.empty();
            case RestRouter.Match.WrongMethod w -> Optional.of(methodNotAllowed(w.allow()));
            case RestRouter.Match.Found f -> Optional.of(refuseNonJson(request).orElseGet(() -> guarded(request, log, () -> {
                if (request.body().length > MAX_BODY_BYTES) {
                    throw new HeraldException(ErrorCode.PAYLOAD_TOO_LARGE, "the request body is over " + MAX_BODY_BYTES + " bytes");
                }
                try {
                    return f.action().run(request, f.params());
                } finally {
                    MDC.remove("caller");
                }
            })));
        };
    }

    private static boolean under(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }

    private static String credential(HttpRequest request) {
        return ServiceAuth.credential(request.header("authorization").orElse(null), request.header("x-api-key").orElse(null));
    }

    /** A backend service (API key or role service JWT); a user or admin token is {@code FORBIDDEN}. */
    private Caller.Service service(HttpRequest request) {
        Caller.Service caller = auth.requireService(credential(request));
        MDC.put("caller", caller.id());
        requireCleanQuery(request);
        return caller;
    }

    /**
     * Whose inbox the request acts on: a user's own, or, for a service, the {@code ?userId=} one.
     * Authentication comes first, so an anonymous caller learns nothing from validation.
     */
    private String inboxOwner(HttpRequest request) {
        Caller caller = auth.authenticate(credential(request));
        MDC.put("caller", caller.id());
        requireCleanQuery(request);
        String named = request.queryParam("userId").filter(v -> !v.isBlank()).orElse(null);
        if (caller instanceof Caller.User user) {
            if (named != null) ServiceAuth.requireSelfOrService(caller, named);
            return user.principal().userId();
        }
        if (named == null) throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "userId: a service names the inbox with ?userId=");
        if (named.length() > 256) throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "userId: at most 256 characters");
        return named;
    }

    private HttpResponse create(HttpRequest request, Map<String, String> p) {
        Caller.Service caller = service(request);
        ObjectNode body = objectBody(request);
        Created created = intake.create(NotificationBodies.create(body, header(request, IDEMPOTENCY_KEY), caller.id()));
        return HttpResponse.json(202, NotificationJson.created(created).toString());
    }

    private HttpResponse bulk(HttpRequest request, Map<String, String> p) {
        Caller.Service caller = service(request);
        ObjectNode body = uncheckedObjectBody(request);
        for (var names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("notifications")) throw new HeraldException(ErrorCode.INVALID_ARGUMENT, name + ": unknown field");
        }
        JsonNode items = body.get("notifications");
        if (items == null || !items.isArray()) {
            throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "notifications: must be an array of notifications");
        }
        if (items.isEmpty()) throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "notifications: at least one item is required");
        if (items.size() > MAX_BULK_ITEMS) {
            throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "notifications: at most " + MAX_BULK_ITEMS + " items");
        }
        String batchKey = header(request, IDEMPOTENCY_KEY);
        ObjectNode out = JSON.createObjectNode();
        ArrayNode results = out.putArray("results");
        int accepted = 0;
        for (int i = 0; i < items.size(); i++) {
            ObjectNode result = results.addObject().put("index", i);
            try {
                String itemKey = batchKey == null ? null : batchKey + "#" + i;
                JsonNode item = items.get(i);
                // The item's own key wins over the derived one, so it is not a mismatch.
                if (item.isObject() && item.hasNonNull("idempotencyKey")) itemKey = null;
                Text.requireTree("", item);
                Created c = intake.create(NotificationBodies.create(item, itemKey, caller.id()));
                ArrayNode ids = result.putArray("ids");
                c.ids().forEach(ids::add);
                result.put("replayed", c.replayed());
                accepted++;
            } catch (HeraldException e) {
                result.set("error", itemError(e.code(), e.getMessage()));
            } catch (RuntimeException e) {
                log.error("bulk item {} failed", i, e);
                result.set("error", itemError(ErrorCode.INTERNAL, "unexpected server error"));
            }
        }
        out.put("accepted", accepted).put("failed", items.size() - accepted);
        return HttpResponse.json(202, out.toString());
    }

    private static ObjectNode itemError(ErrorCode code, String message) {
        return JSON.createObjectNode().put("code", code.name()).put("message", message);
    }

    private HttpResponse eraseUser(HttpRequest request, Map<String, String> p) {
        service(request);
        String userId = p.get("id");
        int erased = notifications.eraseUser(userId);
        log.info("erased the data of a user on request: {} notifications", erased);
        return ok(JSON.createObjectNode().put("erased", erased));
    }

    private HttpResponse inbox(HttpRequest request, Map<String, String> p) {
        String owner = inboxOwner(request);
        int page = intParam(request, "page", 1);
        int limit = intParam(request, "limit", DEFAULT_LIMIT);
        if (limit > InboxQuery.MAX_LIMIT || limit < 1) {
            throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "limit: must be between 1 and " + InboxQuery.MAX_LIMIT);
        }
        boolean unreadOnly = boolParam(request, "unreadOnly");
        String channel = request.queryParam("channel").orElse(null);
        String type = request.queryParam("type").orElse(null);
        return ok(NotificationJson.page(notifications.inbox(owner, page, limit, unreadOnly, channel, type)));
    }

    private HttpResponse get(HttpRequest request, Map<String, String> p) {
        return ok(NotificationJson.notification(notifications.get(inboxOwner(request), p.get("id"))));
    }

    private HttpResponse markRead(HttpRequest request, Map<String, String> p) {
        return ok(NotificationJson.notification(notifications.markRead(inboxOwner(request), p.get("id"))));
    }

    private HttpResponse readAll(HttpRequest request, Map<String, String> p) {
        return ok(JSON.createObjectNode().put("updated", notifications.markAllRead(inboxOwner(request)).size()));
    }

    private HttpResponse delete(HttpRequest request, Map<String, String> p) {
        notifications.delete(inboxOwner(request), p.get("id"));
        return new HttpResponse(204, null, null, Map.of());
    }

    private static int intParam(HttpRequest request, String name, int fallback) {
        String v = request.queryParam(name).orElse(null);
        if (v == null || v.isBlank()) return fallback;
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new HeraldException(ErrorCode.INVALID_ARGUMENT, name + ": must be a whole number");
        }
    }

    private static boolean boolParam(HttpRequest request, String name) {
        String v = request.queryParam(name).map(s -> s.strip().toLowerCase(Locale.ROOT)).orElse("");
        return switch (v) {
            case "", "false", "0" -> false;
            case "true", "1" -> true;
            default -> throw new HeraldException(ErrorCode.INVALID_ARGUMENT, name + ": must be true or false");
        };
    }
}
