package dev.herald.api.rest;

import static dev.herald.api.rest.RestResponses.error;
import static dev.herald.api.rest.RestResponses.methodNotAllowed;

import dev.herald.core.ErrorCode;
import dev.herald.core.http.HttpRequest;
import dev.herald.core.http.HttpResponse;
import dev.herald.core.http.HttpService;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Serves the OpenAPI 3.1 document of every REST route ({@code openapi.json} on the classpath) at
 * {@code GET /api/v1/openapi.json}, without credentials: it describes the API, it holds no data.
 * The document is written by hand and kept true by a test that compares it with the services'
 * route tables and calls every operation it lists.
 *
 * <p>Threading: immutable; thread-safe.
 */
public final class OpenApiHttpService implements HttpService {
    public static final String PATH = "/api/v1/openapi.json";
    static final String RESOURCE = "/openapi.json";

    private final byte[] document;
    private final RestRouter router;

    /** Loads the document once; a build without it fails here, at start, not on first request. */
    public OpenApiHttpService() {
        try (InputStream in = OpenApiHttpService.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("openapi.json is missing from the classpath");
            this.document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read openapi.json", e);
        }
        this.router = RestRouter.builder().route("GET", PATH, this::serve).build();
    }

    /** The route this service answers, for the OpenAPI document's test. */
    public List<RestRouter.Route> routes() {
        return router.routes();
    }

    @Override
    public Optional<HttpResponse> handle(HttpRequest request) {
        if (!RestRouter.canonical(request.path()).equals(PATH)) return Optional.empty();
        return Optional.of(switch (router.match(request.method(), request.path())) {
            case RestRouter.Match.Found f -> f.action().run(request, f.params());
            case RestRouter.Match.WrongMethod w -> methodNotAllowed(w.allow());
            case RestRouter.Match.NotFound n -> error(ErrorCode.NOT_FOUND, "no such endpoint");
        });
    }

    private HttpResponse serve(HttpRequest request, Map<String, String> params) {
        return new HttpResponse(200, "application/json", document, Map.of("Cache-Control", "no-cache"));
    }
}
