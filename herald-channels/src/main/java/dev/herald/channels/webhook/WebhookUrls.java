package dev.herald.channels.webhook;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which user webhook URLs Herald calls: https to any host, or http to a loopback address when the
 * operator allows it ({@code ALLOW_HTTP_WEBHOOKS}, for local development and tests). Checked again at
 * send, so a URL stored before a configuration change, or by another path, is never called over plain
 * http to another machine. The same rule lives in core's {@code notification/WebhookUrls} on the API
 * branch (checked at {@code PUT /me/contact}); the two are to be unified.
 *
 * <p>A refusal never echoes the URL: a Slack or Discord incoming-webhook URL is itself a secret.
 */
public final class WebhookUrls {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private WebhookUrls() {}

    /** Null when {@code url} may be called, else why not, in a few words safe to log. */
    public static String refusal(String url, boolean allowHttpLoopback) {
        if (url == null || url.isBlank()) return "no webhook url";
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "not a valid url";
        }
        if (!uri.isAbsolute() || uri.getHost() == null) return "not an absolute http(s) url with a host";
        if (uri.getRawUserInfo() != null) return "credentials in the url are not supported";
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) return null;
        if (!scheme.equals("http")) return "scheme must be https";
        if (!allowHttpLoopback) return "http is refused: https only (ALLOW_HTTP_WEBHOOKS allows http to loopback)";
        if (!loopback(uri.getHost())) return "http is allowed to a loopback address only";
        return null;
    }

    /** {@code localhost} or a loopback literal (127.0.0.0/8, ::1); never a DNS lookup, so no name can pose as one. */
    static boolean loopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost")) return true;
        if (IPV4.matcher(h).matches()) {
            String[] octets = h.split("\\.");
            for (String octet : octets) if (Integer.parseInt(octet) > 255) return false;
            return octets[0].equals("127");
        }
        if (!(h.startsWith("[") && h.endsWith("]"))) return false;
        try {
            // A bracketed IPv6 literal is parsed, never looked up: an invalid one throws.
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
