package dev.herald.api.rest;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.http.HttpRequest;
import dev.herald.core.http.HttpResponse;
import dev.herald.core.http.HttpService;
import dev.herald.core.inbox.UnsubscribeLinks;
import dev.herald.core.inbox.UserSettings;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The links of email's {@code List-Unsubscribe} (RFC 8058), with no login: the signed token names
 * the user and the notification type.
 * <pre>
 * anyone  GET  /api/v1/unsubscribe/{token}  → an HTML page asking to confirm (nothing changes)
 * anyone  POST /api/v1/unsubscribe/{token}  → switches the type × email preference off; an HTML page says so
 * </pre>
 * The POST is what a mail client's one-click button sends ({@code List-Unsubscribe=One-Click},
 * form-encoded) and what the confirm page's button sends; its body is not needed. A GET never
 * changes anything, as RFC 8058 asks, since mail scanners follow links. A token that does not
 * verify is 404, the same whether it was forged, mangled or made with another secret.
 *
 * <p>Threading: thread-safe; blocks on the store, so call it on a virtual thread.
 */
public final class UnsubscribeHttpService implements HttpService {
    private static final Logger log = LoggerFactory.getLogger(UnsubscribeHttpService.class);
    public static final String PATH = UnsubscribeLinks.PATH + "{token}";
    private static final int MAX_BODY_BYTES = 4096;

    private final UnsubscribeLinks links;
    private final UserSettings settings;
    private final RestRouter router;

    public UnsubscribeHttpService(UnsubscribeLinks links, UserSettings settings) {
        this.links = Objects.requireNonNull(links, "links");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.router = RestRouter.builder()
                .route("GET", PATH, (r, p) -> confirm(p.get("token")))
                .route("POST", PATH, (r, p) -> unsubscribe(p.get("token")))
                .build();
    }

    public List<RestRouter.Route> routes() {
        return router.routes();
    }

    @Override
    public Optional<HttpResponse> handle(HttpRequest request) {
        if (!RestRouter.canonical(request.path()).startsWith(UnsubscribeLinks.PATH)) return Optional.empty();
        return router.serve(request, log, MAX_BODY_BYTES);
    }

    private HttpResponse confirm(String token) {
        Optional<UnsubscribeLinks.Target> target = links.verify(token);
        if (target.isEmpty()) return invalid();
        String type = escape(target.get().type());
        return page(200, "Unsubscribe", "<p>Stop receiving <b>" + type + "</b> notifications by email?</p>"
                + "<form method=\"post\"><input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">"
                + "<button type=\"submit\">Unsubscribe</button></form>");
    }

    private HttpResponse unsubscribe(String token) {
        Optional<UnsubscribeLinks.Target> target = links.verify(token);
        if (target.isEmpty()) return invalid();
        String type = target.get().type();
        ObjectNode patch = JsonNodeFactory.instance.objectNode();
        patch.putObject("types").putObject(type).put("email", false);
        settings.updatePreferences(target.get().userId(), patch);
        log.info("unsubscribed by link: type={} channel=email", type);
        return page(200, "Unsubscribed", "<p>You will no longer receive <b>" + escape(type)
                + "</b> notifications by email. You can switch them on again in your notification settings.</p>");
    }

    private static HttpResponse invalid() {
        return page(404, "Link not valid", "<p>This unsubscribe link is not valid. Use the link of a recent email, "
                + "or change your notification settings in the app.</p>");
    }

    private static HttpResponse page(int status, String title, String body) {
        String html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + title + "</title>"
                + "<meta name=\"viewport\" content=\"width=device-width\"></head><body><h1>" + title + "</h1>" + body + "</body></html>";
        return HttpResponse.text(status, "text/html; charset=utf-8", html)
                .withHeader("Cache-Control", "no-store")
                .withHeader("Content-Security-Policy", "default-src 'none'; form-action 'self'")
                .withHeader("Referrer-Policy", "no-referrer");
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
