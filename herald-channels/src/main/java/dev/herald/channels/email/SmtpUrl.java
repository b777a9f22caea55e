package dev.herald.channels.email;

import dev.herald.channels.webhook.InvalidSetting;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * {@code SMTP_URL}: {@code smtp://[user:pass@]host[:port][?starttls=true]} (plain SMTP, port 25 by
 * default; {@code starttls=true} refuses to send unless the server upgrades the connection) or
 * {@code smtps://[user:pass@]host[:port]} (TLS from the first byte, port 465 by default). The user
 * and password are percent-decoded, so a password may hold {@code @} as {@code %40}; with them the
 * client authenticates (AUTH PLAIN or LOGIN, whichever the server offers).
 */
public record SmtpUrl(Security security, String host, int port, String user, String password) {
    public static final String VARIABLE = "SMTP_URL";

    public enum Security { PLAIN, STARTTLS, SMTPS }

    public boolean authenticates() {
        return user != null;
    }

    /** The URL with the password masked, for logs and {@code herald config}. */
    @Override
    public String toString() {
        return (security == Security.SMTPS ? "smtps" : "smtp") + "://" + (user == null ? "" : user + ":****@") + host + ":"
                + port + (security == Security.STARTTLS ? "?starttls=true" : "");
    }

    public static SmtpUrl parse(String value) {
        URI uri;
        try {
            uri = new URI(value.strip());
        } catch (URISyntaxException e) {
            throw new InvalidSetting(VARIABLE, "is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("smtp") && !scheme.equals("smtps")) throw new InvalidSetting(VARIABLE, "must start with smtp:// or smtps://");
        if (uri.getHost() == null || uri.getHost().isBlank()) throw new InvalidSetting(VARIABLE, "must name a host");
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
            throw new InvalidSetting(VARIABLE, "takes no path");
        }
        boolean starttls = false;
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                if (pair.equalsIgnoreCase("starttls=true")) starttls = true;
                else if (!pair.equalsIgnoreCase("starttls=false") && !pair.isEmpty()) {
                    throw new InvalidSetting(VARIABLE, "knows only the query starttls=true");
                }
            }
        }
        Security security = scheme.equals("smtps") ? Security.SMTPS : starttls ? Security.STARTTLS : Security.PLAIN;
        if (security == Security.SMTPS && starttls) throw new InvalidSetting(VARIABLE, "smtps:// is TLS already: drop ?starttls=true");
        int port = uri.getPort() == -1 ? (security == Security.SMTPS ? 465 : 25) : uri.getPort();
        String user = null, password = null;
        if (uri.getRawUserInfo() != null) {
            String info = uri.getRawUserInfo();
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? "" : decode(info.substring(colon + 1));
            if (user.isEmpty()) throw new InvalidSetting(VARIABLE, "has a password but no user");
        }
        return new SmtpUrl(security, uri.getHost(), port, user, password);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
