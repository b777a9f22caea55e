package dev.herald.api.rest.admin;

import static dev.herald.api.rest.RestResponses.ok;
import static dev.herald.api.rest.RestResponses.optionalString;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.api.auth.Caller;
import dev.herald.api.auth.ServiceAuth;
import dev.herald.api.rest.Callers;
import dev.herald.api.rest.RestResponses;
import dev.herald.api.rest.RestRouter;
import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.http.HttpRequest;
import dev.herald.core.http.HttpResponse;
import dev.herald.core.http.HttpService;
import dev.herald.core.notification.Channel;
import dev.herald.core.template.Template;
import dev.herald.core.template.TemplateSet;
import dev.herald.core.template.Templates;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Templates over REST (DESIGN §4 admin routes). A template is a key with variants, one per
 * (channel, locale):
 * <pre>
 * GET    /api/v1/admin/templates?key&amp;channel        → {templates: [variant…]} (current variants)
 * POST   /api/v1/admin/templates                      {key, channel, locale?, subject?, body, html?, variables?}
 *                                                     → 201 the variant (409 when that variant exists)
 * GET    /api/v1/admin/templates/{key}                → {key, version, variants} (404 unknown)
 * PUT    /api/v1/admin/templates/{key}                {channel, locale?, subject?, body, html?, variables?}
 *                                                     → the variant's new version (404 when it does not exist)
 * DELETE /api/v1/admin/templates/{key}?channel&amp;locale → {key, deleted, version} (every variant without channel)
 * POST   /api/v1/admin/templates/{key}/preview        {locale?, variables?, channel?} → {key, channel, locale,
 *                                                     version, subject, body, html}
 * </pre>
 * A variant's {@code version} is its key's revision when it was written ({@link Template}). A
 * template that does not parse is refused {@code TEMPLATE_INVALID}; a preview is checked as a
 * create is ({@code TEMPLATE_VARIABLE_MISSING}). Role {@code admin} or a service credential, as
 * the other admin routes.
 *
 * <p>Threading: thread-safe; blocks on the store (virtual threads).
 */
public final class TemplatesHttpService implements HttpService {
    private static final Logger log = LoggerFactory.getLogger(TemplatesHttpService.class);
    public static final String TEMPLATES = AdminHttpService.ADMIN + "/templates";
    private static final int MAX_BODY_BYTES = 1024 * 1024;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Templates templates;
    private final ServiceAuth auth;
    private final Clock clock;
    private final RestRouter router;

    public TemplatesHttpService(Templates templates, ServiceAuth auth, Clock clock) {
        this.templates = Objects.requireNonNull(templates, "templates");
        this.auth = Objects.requireNonNull(auth, "auth");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.router = RestRouter.builder()
                .route("GET", TEMPLATES, this::list)
                .route("POST", TEMPLATES, this::create)
                .route("GET", TEMPLATES + "/{key}", this::read)
                .route("PUT", TEMPLATES + "/{key}", this::update)
                .route("DELETE", TEMPLATES + "/{key}", this::delete)
                .route("POST", TEMPLATES + "/{key}/preview", this::preview)
                .build();
    }

    /** Every route this service answers, for the OpenAPI document's test. */
    public List<RestRouter.Route> routes() {
        return router.routes();
    }

    @Override
    public Optional<HttpResponse> handle(HttpRequest request) {
        String path = RestRouter.canonical(request.path());
        if (!path.equals(TEMPLATES) && !path.startsWith(TEMPLATES + "/")) return Optional.empty();
        return router.serve(request, log, MAX_BODY_BYTES);
    }

    private HttpResponse list(HttpRequest request, Map<String, String> p) {
        Callers.admin(auth, request);
        RestResponses.requireCleanQuery(request);
        String key = request.queryParam("key").filter(s -> !s.isBlank()).orElse(null);
        Channel channel = request.queryParam("channel").filter(s -> !s.isBlank()).map(c -> Channel.parse("channel", c)).orElse(null);
        List<Template> all = key != null ? templates.store().snapshot(key).variants() : templates.store().list();
        ObjectNode out = NODES.objectNode();
        ArrayNode list = out.putArray("templates");
        all.stream().filter(t -> channel == null || t.channel() == channel).forEach(t -> list.add(json(t)));
        return ok(out);
    }

    private HttpResponse create(HttpRequest request, Map<String, String> p) {
        Caller caller = Callers.admin(auth, request);
        ObjectNode body = RestResponses.objectBody(request);
        Template draft = draft(optionalString(body, "key"), body);
        templates.checkSyntax(draft);
        Template stored = templates.store().create(draft, clock.instant());
        log.info("template {} {} {} created by {} at version {}", stored.key(), stored.channel().wire(), stored.locale(),
                caller.id(), stored.version());
        return HttpResponse.json(201, json(stored).toString());
    }

    private HttpResponse read(HttpRequest request, Map<String, String> p) {
        Callers.admin(auth, request);
        TemplateSet set = templates.store().snapshot(p.get("key"));
        if (set.variants().isEmpty()) throw new HeraldException(ErrorCode.NOT_FOUND, "template '" + p.get("key") + "' does not exist");
        ObjectNode out = NODES.objectNode().put("key", set.key()).put("version", set.revision());
        ArrayNode list = out.putArray("variants");
        set.variants().forEach(t -> list.add(json(t)));
        return ok(out);
    }

    private HttpResponse update(HttpRequest request, Map<String, String> p) {
        Caller caller = Callers.admin(auth, request);
        ObjectNode body = RestResponses.objectBody(request);
        String key = optionalString(body, "key");
        if (key != null && !key.equals(p.get("key"))) throw invalid("key: differs from the path's; a key cannot be renamed");
        Template draft = draft(p.get("key"), body);
        templates.checkSyntax(draft);
        Template stored = templates.store().update(draft, clock.instant());
        log.info("template {} {} {} updated by {} to version {}", stored.key(), stored.channel().wire(), stored.locale(),
                caller.id(), stored.version());
        return ok(json(stored));
    }

    private HttpResponse delete(HttpRequest request, Map<String, String> p) {
        Caller caller = Callers.admin(auth, request);
        RestResponses.requireCleanQuery(request);
        String key = p.get("key");
        Channel channel = request.queryParam("channel").filter(s -> !s.isBlank()).map(c -> Channel.parse("channel", c)).orElse(null);
        String locale = request.queryParam("locale").filter(s -> !s.isBlank()).map(Template::canonicalLocale).orElse(null);
        if (locale != null && channel == null) throw invalid("locale: needs channel");
        int deleted = templates.store().delete(key, channel, locale, clock.instant());
        if (deleted == 0) throw new HeraldException(ErrorCode.NOT_FOUND, "template '" + key + "' has no such variant");
        long version = templates.store().snapshot(key).revision();
        log.info("template {} ({} variants) deleted by {} at version {}", key, deleted, caller.id(), version);
        return ok(NODES.objectNode().put("key", key).put("deleted", deleted).put("version", version));
    }

    private HttpResponse preview(HttpRequest request, Map<String, String> p) {
        Callers.admin(auth, request);
        ObjectNode body = RestResponses.objectBody(request);
        String channelName = optionalString(body, "channel");
        Channel channel = channelName == null ? null : Channel.parse("channel", channelName);
        String locale = optionalString(body, "locale");
        if (locale != null) Template.canonicalLocale(locale);
        JsonNode variables = body.get("variables");
        if (variables != null && !variables.isNull() && !variables.isObject()) throw invalid("variables: must be a JSON object");
        Templates.Preview preview = templates.preview(p.get("key"), channel, locale, variables);
        Template t = preview.template();
        ObjectNode out = NODES.objectNode().put("key", t.key()).put("channel", t.channel().wire()).put("locale", t.locale())
                .put("version", t.version()).put("subject", preview.rendered().subject()).put("body", preview.rendered().body())
                .put("html", preview.rendered().html());
        return ok(out);
    }

    private static Template draft(String key, ObjectNode body) {
        String channel = optionalString(body, "channel");
        if (channel == null) throw invalid("channel: required (inApp, email, push, sms, webhook)");
        JsonNode vars = body.get("variables");
        List<String> variables = new ArrayList<>();
        if (vars != null && !vars.isNull()) {
            if (!vars.isArray()) throw invalid("variables: must be an array of names");
            for (JsonNode v : vars) {
                if (!v.isTextual()) throw invalid("variables: must be an array of names");
                variables.add(v.textValue());
            }
        }
        return Template.draft(key, Channel.parse("channel", channel), optionalString(body, "locale"), optionalString(body, "subject"),
                optionalString(body, "body"), optionalString(body, "html"), variables);
    }

    static ObjectNode json(Template t) {
        ObjectNode o = NODES.objectNode().put("key", t.key()).put("channel", t.channel().wire()).put("locale", t.locale())
                .put("subject", t.subject()).put("body", t.body()).put("html", t.html());
        ArrayNode vars = o.putArray("variables");
        t.variables().forEach(vars::add);
        return o.put("version", t.version()).put("updatedAt", t.updatedAt() == null ? null : t.updatedAt().toString());
    }

    private static HeraldException invalid(String message) {
        return new HeraldException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
