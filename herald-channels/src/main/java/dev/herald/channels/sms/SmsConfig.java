package dev.herald.channels.sms;

import dev.herald.channels.webhook.InvalidSetting;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The SMS channel's settings (DESIGN §5), for a Twilio-compatible API: on when any of
 * {@code SMS_URL}, {@code SMS_ACCOUNT_SID}, {@code SMS_AUTH_TOKEN}, {@code SMS_FROM} is set, and
 * then the last three are required; {@code SMS_URL} is the API's base URL (default Twilio's,
 * {@code https://api.twilio.com}), so any provider speaking the same API, or a local test server,
 * can stand in.
 *
 * @param from the sender number in E.164 ({@code +15005550006}) or an alphanumeric sender id
 * @param timeout how long the provider has to answer one request (the connect gets at most 5 s of it)
 */
public record SmsConfig(URI baseUrl, String accountSid, String authToken, String from, Duration timeout) {
    public static final URI TWILIO = URI.create("https://api.twilio.com");
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public SmsConfig {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(accountSid, "accountSid");
        Objects.requireNonNull(authToken, "authToken");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(timeout, "timeout");
    }

    /** The Messages resource of the account: {@code {base}/2010-04-01/Accounts/{sid}/Messages.json}. */
    public URI messagesUrl() {
        String base = baseUrl.toString();
        if (base.endsWith("/")) base = base.substring(0, base.length() - 1);
        return URI.create(base + "/2010-04-01/Accounts/" + accountSid + "/Messages.json");
    }

    /** Never shows the token. */
    @Override
    public String toString() {
        return "SmsConfig[" + baseUrl + ", account " + accountSid + ", from " + from + "]";
    }

    /**
     * Reads the variables through {@code env} (null when unset): empty when none is set. Throws
     * {@link InvalidSetting}, naming the variable, for a missing or bad value.
     */
    public static Optional<SmsConfig> read(Function<String, String> env) {
        String url = blankToNull(env.apply("SMS_URL"));
        String sid = blankToNull(env.apply("SMS_ACCOUNT_SID"));
        String token = blankToNull(env.apply("SMS_AUTH_TOKEN"));
        String from = blankToNull(env.apply("SMS_FROM"));
        if (url == null && sid == null && token == null && from == null) return Optional.empty();
        if (sid == null) throw new InvalidSetting("SMS_ACCOUNT_SID", "must be set to send SMS (with SMS_AUTH_TOKEN and SMS_FROM)");
        if (!sid.matches("[A-Za-z0-9_-]{1,64}")) throw new InvalidSetting("SMS_ACCOUNT_SID", "must be letters, digits, - or _ (it is part of the API path)");
        if (token == null) throw new InvalidSetting("SMS_AUTH_TOKEN", "must be set with SMS_ACCOUNT_SID");
        if (from == null) throw new InvalidSetting("SMS_FROM", "must be set with SMS_ACCOUNT_SID (the sender number, like +15005550006)");
        if (!from.matches("\\+[1-9][0-9]{6,14}|(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}")) {
            throw new InvalidSetting("SMS_FROM", "must be an E.164 number (+15005550006) or an alphanumeric sender id (at most 11 letters, digits or spaces, with a letter)");
        }
        return Optional.of(new SmsConfig(url == null ? TWILIO : baseUrl(url), sid, token, from, DEFAULT_TIMEOUT));
    }

    private static URI baseUrl(String value) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && uri.getRawUserInfo() == null
                    && uri.getRawQuery() == null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // refused below
        }
        throw new InvalidSetting("SMS_URL", "must be an http(s) base URL with a host, no credentials and no query");
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.strip();
    }
}
