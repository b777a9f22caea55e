package dev.herald.api.rest;

import dev.herald.core.deliver.dispatch.RateLimits;
import dev.herald.core.deliver.dispatch.TestMessages;
import dev.herald.core.inbox.UnsubscribeLinks;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.api.rest.admin.AdminHttpService;
import dev.herald.api.rest.admin.IngestDeadLettersHttpService;
import dev.herald.api.rest.admin.TemplatesHttpService;
import dev.herald.core.http.HttpResponse;
import dev.herald.core.http.HttpService;
import dev.herald.core.inbox.UserSettings;
import dev.herald.core.ingest.LiveEvents;
import dev.herald.core.ingest.LiveEventsConfig;
import dev.herald.core.memory.MemoryIngestDeadLetters;
import dev.herald.core.memory.MemoryPresenceRegistry;
import dev.herald.core.notification.Channel;
import dev.herald.core.notification.Delivery;
import dev.herald.core.notification.DeliveryStatus;
import dev.herald.core.notification.Device;
import dev.herald.core.notification.NotificationIds;
import dev.herald.core.notification.Priority;
import dev.herald.core.notification.WebhookUrls;
import dev.herald.core.route.ConnectionStats;
import dev.herald.core.store.NotificationBatch;
import dev.herald.core.store.Storage;
import dev.herald.core.template.Template;
import dev.herald.core.template.TemplateRenderer;
import dev.herald.core.template.Templates;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps openapi.json true: it lists exactly the routes the REST services route, every operation it
 * lists is answered (not 404, not 405) by the services as the server chains them, and its
 * references resolve. (The document was also checked with openapi-spec-validator while written.)
 */
class OpenApiDocumentTest extends InboxRestFixture {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
    private static final Pattern PARAM = Pattern.compile("\\{([^}]+)}");
    private final NotificationIds ids = new NotificationIds();

    final RealtimeHttpService realtime = new RealtimeHttpService(
            new LiveEvents(hub, new MemoryPresenceRegistry(), clock, new LiveEventsConfig(1000, 100, Duration.ofSeconds(5))), auth);
    final Storage storage = store.storage();
    final SettingsHttpService settings = new SettingsHttpService(
            new UserSettings(storage.preferences(), storage.contacts(), WebhookUrls.httpsOnly(), clock), auth);
    final AdminHttpService admin = new AdminHttpService(storage.outbox(), storage.deliveryLog(),
            () -> new ConnectionStats(0, 0, 0, Map.of(), Map.of()), auth, clock);
    // Route presence only: the template engine is herald-channels', and verbatim text answers as well here.
    final Templates templates = new Templates(storage.templates(), new TemplateRenderer() {
        @Override
        public Rendered render(Template t, JsonNode variables, Locale locale) {
            return new Rendered(t.subject(), t.body(), t.html());
        }

        @Override
        public void check(Template t) {}
    });
    final TemplatesHttpService templatesHttp = new TemplatesHttpService(templates, auth, clock);
    final IngestDeadLettersHttpService ingestDeadLetters = new IngestDeadLettersHttpService(new MemoryIngestDeadLetters(), auth);
    final OpenApiHttpService openApi = new OpenApiHttpService();
    final UserDataHttpService userData = new UserDataHttpService(storage, auth, clock);
    final UnsubscribeLinks links = new UnsubscribeLinks(URI.create("https://notify.example.com"),
            "openapi-test-unsubscribe-secret-0123".getBytes(StandardCharsets.UTF_8));
    final UnsubscribeHttpService unsubscribe = new UnsubscribeHttpService(links,
            new UserSettings(storage.preferences(), storage.contacts(), WebhookUrls.httpsOnly(), clock));
    final TestMessageHttpService test = new TestMessageHttpService(
            new TestMessages(storage, notifications, List.of(), RateLimits.defaults(), clock), auth);
    // The order Herald chains them in: settings and test before the inbox, which would take /notifications/preferences for an id.
    final List<HttpService> chain = List.of(realtime, settings, admin, templatesHttp, ingestDeadLetters, test, rest, userData,
            openApi, unsubscribe);
    final JsonNode document = document();

    private JsonNode document() {
        try {
            return json(openApi.handle(request("GET", OpenApiHttpService.PATH, Map.of(), Map.of(), null)).orElseThrow());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private record Operation(String method, String template, JsonNode node) {
        String key() {
            return method + " " + template;
        }
    }

    private List<Operation> operations() {
        List<Operation> out = new ArrayList<>();
        document.get("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            if (METHODS.contains(op.getKey())) {
                out.add(new Operation(op.getKey().toUpperCase(Locale.ROOT), path.getKey(), op.getValue()));
            }
        }));
        return out;
    }

    @Test
    void servesTheDocumentWithoutCredentials() throws Exception {
        HttpResponse r = openApi.handle(request("GET", "/api/v1/openapi.json", Map.of(), Map.of(), null)).orElseThrow();

        assertThat(r.status()).isEqualTo(200);
        assertThat(json(r).get("openapi").asText()).startsWith("3.1.");
        assertThat(openApi.handle(request("POST", "/api/v1/openapi.json", Map.of(), Map.of(), null)).orElseThrow().status())
                .isEqualTo(405);
        assertThat(openApi.handle(request("GET", "/api/v1/notifications", Map.of(), Map.of(), null))).isEmpty();
    }

    @Test
    void listsExactlyTheRoutesTheServicesRoute() {
        Set<String> documented = new TreeSet<>(operations().stream().map(Operation::key).toList());
        Set<String> routed = new TreeSet<>(Stream.of(realtime.routes(), settings.routes(), admin.routes(), templatesHttp.routes(), ingestDeadLetters.routes(), test.routes(),
                rest.routes(), userData.routes(), openApi.routes(), unsubscribe.routes())
                .flatMap(List::stream).map(r -> r.method() + " " + r.template()).toList());

        assertThat(documented).isEqualTo(routed);
    }

    @Test
    void everyListedOperationIsAnsweredByAService() throws Exception {
        for (Operation op : operations()) {
            String notificationId = create("u1");
            String deliveryId = deadDelivery(notificationId);
            String deviceId = storage.contacts().addDevice(new Device(UUID.randomUUID().toString(), "u1", Device.Platform.FCM,
                    "token-" + deliveryId, null, null, clock.instant())).id();
            if (storage.templates().snapshot("welcome").variants().isEmpty()) {
                storage.templates().create(Template.draft("welcome", Channel.EMAIL, null, "Hi", "Hello", null, List.of()), clock.instant());
            }
            Matcher m = PARAM.matcher(op.template());
            StringBuilder path = new StringBuilder();
            while (m.find()) {
                String value = switch (m.group(1)) {
                    case "id" -> op.template().startsWith(NotificationsHttpService.NOTIFICATIONS) ? notificationId
                            : op.template().startsWith(AdminHttpService.ADMIN) ? deliveryId : "u1";
                    case "deviceId" -> deviceId;
                    case "key" -> "welcome";
                    case "room" -> "team:t1";
                    case "token" -> links.token("u1", "marketing");
                    default -> throw new AssertionError("no test value for path parameter " + m.group(1));
                };
                m.appendReplacement(path, Matcher.quoteReplacement(value));
            }
            m.appendTail(path);
            String body = Set.of("POST", "PUT", "PATCH").contains(op.method()) ? "{}" : null;
            Map<String, String> headers = new HashMap<>(Map.of("authorization", "Bearer " + API_KEY));

            Optional<HttpResponse> answer = chain.stream()
                    .map(s -> s.handle(request(op.method(), path.toString(), query("userId", "u1"), headers, bytes(body))))
                    .flatMap(Optional::stream).findFirst();

            assertThat(answer).as(op.key()).isPresent();
            assertThat(answer.get().status()).as(op.key()).isNotIn(404, 405);
        }
    }

    private String deadDelivery(String notificationId) {
        Instant now = clock.instant();
        Delivery d = new Delivery(ids.next(now),
                new Delivery.Target(notificationId, "u1", "order_status", Channel.EMAIL, Priority.MEDIUM, Delivery.Kind.STANDARD, null),
                new Delivery.State(DeliveryStatus.DEAD, "gave up", 3, now, null, now), "{}", now);
        store.save(new NotificationBatch(List.of(notificationId), List.of(), List.of(d)), null, now);
        return d.id();
    }

    @Test
    void everyOperationHasAUniqueIdResponsesAndItsPathParameters() {
        Set<String> ids = new HashSet<>();
        for (Operation op : operations()) {
            assertThat(ids.add(op.node().path("operationId").asText())).as("unique operationId of " + op.key()).isTrue();
            assertThat(op.node().path("responses").isEmpty()).as("responses of " + op.key()).isFalse();
            Set<String> declared = new HashSet<>();
            JsonNode pathItem = document.get("paths").get(op.template());
            Stream.concat(stream(pathItem.path("parameters")), stream(op.node().path("parameters")))
                    .map(this::resolve).filter(p -> p.path("in").asText().equals("path"))
                    .forEach(p -> declared.add(p.path("name").asText()));
            Matcher m = PARAM.matcher(op.template());
            while (m.find()) assertThat(declared).as("path parameters of " + op.key()).contains(m.group(1));
        }
    }

    @Test
    void everyReferenceResolves() {
        List<String> refs = new ArrayList<>();
        collectRefs(document, refs);

        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(ref).startsWith("#/");
            assertThat(document.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
        }
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out.stream();
    }

    private JsonNode resolve(JsonNode node) {
        return node.has("$ref") ? document.at(node.get("$ref").asText().substring(1)) : node;
    }

    private static void collectRefs(JsonNode node, List<String> out) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if (e.getKey().equals("$ref") && e.getValue().isTextual()) out.add(e.getValue().asText());
                else collectRefs(e.getValue(), out);
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectRefs(n, out));
        }
    }
}
