package dev.herald.api.rest;

import static dev.herald.api.rest.RestResponses.ok;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.api.auth.ServiceAuth;
import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.Json;
import dev.herald.core.http.HttpRequest;
import dev.herald.core.http.HttpResponse;
import dev.herald.core.http.HttpService;
import dev.herald.core.inbox.ContactJson;
import dev.herald.core.inbox.PreferencesJson;
import dev.herald.core.inbox.UserSettings;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a user is reached, over REST (DESIGN §4, §5), on core's {@link UserSettings}:
 * <pre>
 * user     GET|PUT|PATCH /api/v1/notifications/preferences   → the preferences
 * user     GET|PUT       /api/v1/me/contact                  → {email, phone, locale, timezone, webhookUrl}
 * user     GET|POST      /api/v1/me/devices                  → {devices} | 201 the device
 * user     DELETE        /api/v1/me/devices/{deviceId}       → 204
 * service  GET|PUT       /api/v1/users/{id}/preferences
 * service  GET|PUT       /api/v1/users/{id}/contact
 * service  GET|POST      /api/v1/users/{id}/devices
 * service  DELETE        /api/v1/users/{id}/devices/{deviceId}
 * </pre>
 * "user" routes act on the caller's own data (a service names the user with {@code ?userId=});
 * "service" routes need an API key or a service/admin JWT, a user token gets {@code FORBIDDEN}.
 * Another user's device id is {@code NOT_FOUND}. PUT replaces, PATCH merges (see
 * {@link PreferencesJson}); bad input is 400 {@code INVALID_ARGUMENT} naming the field and stores
 * nothing. A device already registered by the user answers 200 with its first id, a new one 201.
 *
 * <p>Chain it <b>before</b> {@link NotificationsHttpService}: that one routes
 * {@code /notifications/{id}} and would take {@code /notifications/preferences} for an id.
 *
 * <p>Threading: thread-safe; blocks on the store, so call it on a virtual thread.
 */
public final class SettingsHttpService implements HttpService {
    private static final Logger log = LoggerFactory.getLogger(SettingsHttpService.class);
    public static final String PREFERENCES = NotificationsHttpService.NOTIFICATIONS + "/preferences";
    public static final String ME = "/api/v1/me";
    public static final String USERS = NotificationsHttpService.USERS;
    /** Preferences and contacts are small; a device subscription is under 1 KB. */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper(Json.factory());

    private final UserSettings settings;
    private final ServiceAuth auth;
    private final RestRouter router;

    public SettingsHttpService(UserSettings settings, ServiceAuth auth) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.auth = Objects.requireNonNull(auth, "auth");
        this.router = table(this);
    }

    private static RestRouter table(SettingsHttpService s) {
        return RestRouter.builder()
                .route("GET", PREFERENCES, (r, p) -> s.getPreferences(s.own(r)))
                .route("PUT", PREFERENCES, (r, p) -> s.putPreferences(s.own(r), r))
                .route("PATCH", PREFERENCES, (r, p) -> s.patchPreferences(s.own(r), r))
                .route("GET", ME + "/contact", (r, p) -> s.getContact(s.own(r)))
                .route("PUT", ME + "/contact", (r, p) -> s.putContact(s.own(r), r))
                .route("GET", ME + "/devices", (r, p) -> s.listDevices(s.own(r)))
                .route("POST", ME + "/devices", (r, p) -> s.addDevice(s.own(r), r))
                .route("DELETE", ME + "/devices/{deviceId}", (r, p) -> s.removeDevice(s.own(r), p.get("deviceId")))
                .route("GET", USERS + "/{id}/preferences", (r, p) -> s.getPreferences(s.named(r, p)))
                .route("PUT", USERS + "/{id}/preferences", (r, p) -> s.putPreferences(s.named(r, p), r))
                .route("GET", USERS + "/{id}/contact", (r, p) -> s.getContact(s.named(r, p)))
                .route("PUT", USERS + "/{id}/contact", (r, p) -> s.putContact(s.named(r, p), r))
                .route("GET", USERS + "/{id}/devices", (r, p) -> s.listDevices(s.named(r, p)))
                .route("POST", USERS + "/{id}/devices", (r, p) -> s.addDevice(s.named(r, p), r))
                .route("DELETE", USERS + "/{id}/devices/{deviceId}", (r, p) -> s.removeDevice(s.named(r, p), p.get("deviceId")))
                .build();
    }

    /** Every route this service answers, for the OpenAPI document's test. */
    public List<RestRouter.Route> routes() {
        return router.routes();
    }

    @Override
    public Optional<HttpResponse> handle(HttpRequest request) {
        String path = RestRouter.canonical(request.path());
        if (!path.startsWith(PREFERENCES) && !path.startsWith(ME + "/") && !path.startsWith(USERS + "/")) return Optional.empty();
        return router.serve(request, log, MAX_BODY_BYTES);
    }

    private String own(HttpRequest request) {
        return Callers.owner(auth, request);
    }

    private String named(HttpRequest request, Map<String, String> params) {
        Callers.service(auth, request);
        return Callers.userId(params.get("id"));
    }

    private HttpResponse getPreferences(String userId) {
        return ok(PreferencesJson.toJson(settings.preferences(userId)));
    }

    private HttpResponse putPreferences(String userId, HttpRequest request) {
        return ok(PreferencesJson.toJson(settings.replacePreferences(userId, body(request))));
    }

    private HttpResponse patchPreferences(String userId, HttpRequest request) {
        return ok(PreferencesJson.toJson(settings.updatePreferences(userId, body(request))));
    }

    private HttpResponse getContact(String userId) {
        return ok(ContactJson.toJson(settings.contact(userId)));
    }

    private HttpResponse putContact(String userId, HttpRequest request) {
        return ok(ContactJson.toJson(settings.replaceContact(userId, body(request))));
    }

    private HttpResponse listDevices(String userId) {
        return ok(JSON.createObjectNode().set("devices", ContactJson.toJson(settings.devices(userId))));
    }

    private HttpResponse addDevice(String userId, HttpRequest request) {
        UserSettings.Registered r = settings.addDevice(userId, body(request));
        return HttpResponse.json(r.created() ? 201 : 200, ContactJson.toJson(r.device()).toString());
    }

    private HttpResponse removeDevice(String userId, String deviceId) {
        settings.removeDevice(userId, deviceId);
        return new HttpResponse(204, null, null, Map.of());
    }

    /** The body as JSON (the codecs say which shapes they take); an empty body is refused. */
    private static JsonNode body(HttpRequest request) {
        if (request.body().length == 0) throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "a JSON body is required");
        try {
            JsonNode node = JSON.readTree(request.body());
            if (node == null || node.isMissingNode()) throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "a JSON body is required");
            return node;
        } catch (IOException e) {
            throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "request body is not valid JSON");
        }
    }
}
