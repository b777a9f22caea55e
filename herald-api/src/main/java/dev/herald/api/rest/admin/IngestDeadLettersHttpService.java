package dev.herald.api.rest.admin;

import static dev.herald.api.rest.RestResponses.ok;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.api.auth.ServiceAuth;
import dev.herald.api.rest.Callers;
import dev.herald.api.rest.RestRouter;
import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.http.HttpRequest;
import dev.herald.core.http.HttpResponse;
import dev.herald.core.http.HttpService;
import dev.herald.core.ingest.IngestDeadLetters;
import dev.herald.core.ingest.IngestDeadLetters.DeadLetter;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker messages ingestion could never store (JetStream, event rules, Redis
 * {@code notifications:send} and Streams), for the operator who fixes and resends them:
 * <pre>
 * GET /api/v1/admin/ingest/dead-letters?source&amp;limit → {deadLetters: [{id, source, subject, messageKey,
 *                                                       reason, receivedAt, body}]}, newest first
 * </pre>
 * {@code source} is one of the ingestion sources ({@code nats}, {@code rules}, {@code redis},
 * {@code redis-stream}); absent means every source. {@code limit} is 1..{@value #MAX_LIMIT}
 * ({@value #DEFAULT_LIMIT} by default). There is no paging: the store keeps the newest first and an
 * operator works from the top.
 *
 * <p>The body is the message as received, so the route is for role {@code admin} or a service
 * credential only, as the other admin routes; the body is answered, never logged.
 *
 * <p>Threading: thread-safe; blocks on the store (virtual threads).
 */
public final class IngestDeadLettersHttpService implements HttpService {
    private static final Logger log = LoggerFactory.getLogger(IngestDeadLettersHttpService.class);
    public static final String PATH = AdminHttpService.ADMIN + "/ingest/dead-letters";
    public static final int DEFAULT_LIMIT = AdminHttpService.DEFAULT_LIMIT;
    public static final int MAX_LIMIT = AdminHttpService.MAX_LIMIT;
    // A source is a short name; anything else is a typo worth telling apart from "none from there".
    private static final Pattern SOURCE = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final IngestDeadLetters deadLetters;
    private final ServiceAuth auth;
    private final RestRouter router;

    public IngestDeadLettersHttpService(IngestDeadLetters deadLetters, ServiceAuth auth) {
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
        this.auth = Objects.requireNonNull(auth, "auth");
        this.router = RestRouter.builder().route("GET", PATH, this::list).build();
    }

    /** Every route this service answers, for the OpenAPI document's test. */
    public List<RestRouter.Route> routes() {
        return router.routes();
    }

    @Override
    public Optional<HttpResponse> handle(HttpRequest request) {
        if (!RestRouter.canonical(request.path()).startsWith(PATH)) return Optional.empty();
        return router.serve(request, log, 4096);
    }

    private HttpResponse list(HttpRequest request, Map<String, String> p) {
        Callers.admin(auth, request);
        String source = request.queryParam("source").map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
        if (source != null && !SOURCE.matcher(source).matches()) {
            throw invalid("source: must be an ingestion source such as nats, rules, redis or redis-stream");
        }
        int limit = AdminHttpService.limit(request);
        ObjectNode out = NODES.objectNode();
        ArrayNode list = out.putArray("deadLetters");
        for (DeadLetter d : deadLetters.recent(source, limit)) list.add(json(d));
        return ok(out);
    }

    static ObjectNode json(DeadLetter d) {
        return NODES.objectNode().put("id", d.id()).put("source", d.source()).put("subject", d.subject())
                .put("messageKey", d.messageKey()).put("reason", d.reason()).put("receivedAt", d.receivedAt().toString())
                .put("body", d.body());
    }

    private static HeraldException invalid(String message) {
        return new HeraldException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
