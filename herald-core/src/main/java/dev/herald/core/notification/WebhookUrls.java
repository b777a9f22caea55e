package dev.herald.core.notification;

import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The one rule for a user's webhook URL, checked when the contact is saved and again by the webhook
 * sender before each send (the flag may have changed since): an absolute {@code https} URL with a
 * host, no credentials and no fragment, at most {@link #MAX_LENGTH} characters. Plain {@code http}
 * is allowed only to a loopback address ({@code localhost}, {@code 127.0.0.0/8}, {@code [::1]}) and
 * only when the operator sets {@code ALLOW_HTTP_WEBHOOKS=true}, for local development and tests.
 *
 * <p>The check reads only the text: it resolves no name (core does no I/O), so a name that resolves
 * to a private address passes here; guarding the resolved address is the sender's job.
 *
 * <p>Immutable; thread-safe.
 */
public final class WebhookUrls {
    public static final int MAX_LENGTH = 2048;

    private final boolean allowHttpLoopback;

    private WebhookUrls(boolean allowHttpLoopback) {
        this.allowHttpLoopback = allowHttpLoopback;
    }

    /** https only: the production rule. */
    public static WebhookUrls httpsOnly() {
        return new WebhookUrls(false);
    }

    /** https, or http to a loopback address ({@code ALLOW_HTTP_WEBHOOKS=true}). */
    public static WebhookUrls allowingHttpLoopback() {
        return new WebhookUrls(true);
    }

    public boolean allowsHttpLoopback() {
        return allowHttpLoopback;
    }

    /**
     * The URL, parsed, when the rule accepts it.
     *
     * @param field names the field in the refusal ({@code webhookUrl: must use https})
     * @throws HeraldException {@code INVALID_ARGUMENT} naming {@code field} when it does not
     */
    public URI check(String field, String url) {
        if (url == null || url.isBlank()) throw invalid(field, "required");
        if (url.length() > MAX_LENGTH) throw invalid(field, "at most " + MAX_LENGTH + " characters");
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw invalid(field, "must be an absolute https URL");
        }
        if (!uri.isAbsolute() || uri.isOpaque() || uri.getHost() == null) throw invalid(field, "must be an absolute https URL");
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        boolean ok = scheme.equals("https") || (scheme.equals("http") && allowHttpLoopback && isLoopback(uri.getHost()));
        if (!ok) {
            throw invalid(field, allowHttpLoopback ? "must use https (http only to a loopback address)" : "must use https");
        }
        if (uri.getRawUserInfo() != null) throw invalid(field, "must not carry credentials (user:password@)");
        if (uri.getRawFragment() != null) throw invalid(field, "must not have a #fragment");
        return uri;
    }

    /** Whether the rule accepts the URL. */
    public boolean accepts(String url) {
        try {
            check("url", url);
            return true;
        } catch (HeraldException e) {
            return false;
        }
    }

    /** {@code localhost}, an IPv4 literal in 127.0.0.0/8 or the IPv6 loopback literal; no name is resolved. */
    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost")) return true;
        if (h.equals("[::1]") || h.equals("[0:0:0:0:0:0:0:1]")) return true;
        String[] parts = h.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals("127")) return false;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    private static HeraldException invalid(String field, String why) {
        return new HeraldException(ErrorCode.INVALID_ARGUMENT, field + ": " + why);
    }
}
