package dev.herald.api.rest;

import static dev.herald.api.rest.RestResponses.ok;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.api.auth.ServiceAuth;
import dev.herald.api.rest.admin.DeliveryJson;
import dev.herald.core.http.HttpRequest;
import dev.herald.core.http.HttpResponse;
import dev.herald.core.http.HttpService;
import dev.herald.core.inbox.ContactJson;
import dev.herald.core.inbox.PreferencesJson;
import dev.herald.core.notification.Delivery;
import dev.herald.core.notification.Notification;
import dev.herald.core.store.DeliveryQuery;
import dev.herald.core.store.Storage;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GDPR export (right of access): {@code GET /api/v1/users/{id}/export}, service callers only,
 * answers everything Herald holds about the user: {@code notifications} (every state, with its
 * inbox state: status, deliveredAt, readAt), {@code preferences}, {@code contact}, {@code devices},
 * {@code deliveries} (outbox rows, with the rendered payload they carry) and {@code deliveryLog}
 * (every attempt of every delivery of the user's notifications). Erasure is
 * {@code DELETE /api/v1/users/{id}} ({@link NotificationsHttpService}).
 *
 * <p>Threading: blocks on the store; call it on a virtual thread.
 */
public final class UserDataHttpService implements HttpService {
    private static final Logger log = LoggerFactory.getLogger(UserDataHttpService.class);
    public static final String EXPORT = NotificationsHttpService.USERS + "/{id}/export";

    private final Storage storage;
    private final ServiceAuth auth;
    private final Clock clock;
    private final RestRouter router;

    public UserDataHttpService(Storage storage, ServiceAuth auth, Clock clock) {
        this.storage = Objects.requireNonNull(storage, "storage");
        this.auth = Objects.requireNonNull(auth, "auth");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.router = RestRouter.builder().route("GET", EXPORT, this::export).build();
    }

    /** Every route this service answers, for the OpenAPI document's test. */
    public List<RestRouter.Route> routes() {
        return router.routes();
    }

    @Override
    public Optional<HttpResponse> handle(HttpRequest request) {
        String path = RestRouter.canonical(request.path());
        if (!path.startsWith(NotificationsHttpService.USERS + "/") || !path.endsWith("/export")) return Optional.empty();
        return router.serve(request, log, 1024);
    }

    private HttpResponse export(HttpRequest request, Map<String, String> params) {
        Callers.service(auth, request);
        String userId = Callers.userId(params.get("id"));
        ObjectNode out = RestResponses.JSON.createObjectNode().put("userId", userId).put("exportedAt", clock.instant().toString());
        List<Notification> notifications = storage.inbox().allOf(userId);
        ArrayNode list = out.putArray("notifications");
        for (Notification n : notifications) {
            list.add(NotificationJson.notification(n).put("readAt", n.readAt() == null ? null : n.readAt().toString()));
        }
        out.set("preferences", storage.preferences().find(userId).map(PreferencesJson::toJson).orElse(null));
        out.set("contact", storage.contacts().contact(userId).map(ContactJson::toJson).orElse(null));
        out.set("devices", ContactJson.toJson(storage.contacts().devices(userId)));
        ArrayNode deliveries = out.putArray("deliveries");
        String before = null;
        while (true) {
            List<Delivery> page = storage.outbox().find(new DeliveryQuery(null, null, userId, null, null, before, DeliveryQuery.MAX_LIMIT));
            for (Delivery d : page) deliveries.add(DeliveryJson.delivery(d).put("payload", d.payload()));
            if (page.size() < DeliveryQuery.MAX_LIMIT) break;
            before = page.getLast().id();
        }
        ArrayNode attempts = out.putArray("deliveryLog");
        for (Notification n : notifications) {
            storage.deliveryLog().ofNotification(n.id()).forEach(a -> attempts.add(DeliveryJson.attempt(a)
                    .put("deliveryId", a.deliveryId()).put("notificationId", a.target().notificationId())
                    .put("channel", a.target().channel().wire())));
        }
        log.info("exported the data of a user on request: {} notifications, {} deliveries", notifications.size(), deliveries.size());
        return ok(out);
    }
}
