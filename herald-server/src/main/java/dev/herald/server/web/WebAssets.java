package dev.herald.server.web;

import dev.herald.core.http.HttpRequest;
import dev.herald.core.http.HttpResponse;
import dev.herald.core.http.HttpService;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Serves the browser parts built into the jar under {@code web/}: the inbox widget
 * ({@code /widget/herald-inbox.js}, its demo at {@code /widget/demo}) and the admin console
 * ({@code /admin}). A fixed table of files, read once at start, so no request path ever reaches
 * the class path and nothing else under {@code web/} is exposed.
 *
 * <p>The console's pages carry a Content-Security-Policy allowing only this origin's scripts and
 * no framing, since they hold an operator's credential. The widget script is meant to be loaded
 * from other origins (a {@code <script>} needs no CORS), so it carries none.
 *
 * <p>Threading: immutable after construction; thread-safe.
 */
public final class WebAssets implements HttpService {
    private static final String CONSOLE_POLICY = "default-src 'self'; connect-src 'self'; img-src 'self' data:; "
            + "style-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
    private static final String DEMO_POLICY = "default-src 'self'; connect-src 'self' ws: wss:; style-src 'self' 'unsafe-inline'; "
            + "frame-ancestors 'none'; base-uri 'none'";

    private record Asset(String contentType, byte[] body, String policy) {}

    private final Map<String, Asset> assets = new HashMap<>();

    /** Loads every file; a jar built without the web step fails here, at start, not on a request. */
    public WebAssets() {
        add("/widget/herald-inbox.js", "widget/herald-inbox.js", "text/javascript; charset=utf-8", null);
        add("/widget/demo", "widget/demo.html", "text/html; charset=utf-8", DEMO_POLICY);
        add("/widget/demo.js", "widget/demo.js", "text/javascript; charset=utf-8", null);
        add("/admin", "admin/index.html", "text/html; charset=utf-8", CONSOLE_POLICY);
        add("/admin/", "admin/index.html", "text/html; charset=utf-8", CONSOLE_POLICY);
        add("/admin/admin.js", "admin/admin.js", "text/javascript; charset=utf-8", CONSOLE_POLICY);
        add("/admin/admin.css", "admin/admin.css", "text/css; charset=utf-8", CONSOLE_POLICY);
    }

    private void add(String path, String resource, String contentType, String policy) {
        try (InputStream in = WebAssets.class.getResourceAsStream("/web/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("web/" + resource + " is missing from the jar: build herald-server with Maven (it runs npm)");
            }
            assets.put(path, new Asset(contentType, in.readAllBytes(), policy));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read web/" + resource, e);
        }
    }

    @Override
    public Optional<HttpResponse> handle(HttpRequest request) {
        Asset asset = assets.get(request.path());
        if (asset == null) return Optional.empty();
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            return Optional.of(HttpResponse.text(405, "text/plain; charset=utf-8", "method not allowed\n").withHeader("Allow", "GET, HEAD"));
        }
        HttpResponse response = new HttpResponse(200, asset.contentType(), asset.body(), Map.of(
                // The files change with the jar: revalidate rather than serve a stale widget after an upgrade.
                "Cache-Control", "no-cache", "X-Content-Type-Options", "nosniff", "Referrer-Policy", "no-referrer"));
        if (asset.policy() != null) response = response.withHeader("Content-Security-Policy", asset.policy());
        return Optional.of(response);
    }
}
