package dev.herald.channels.webhook;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The webhook channel's and the status callbacks' settings (DESIGN §5, channel settings). The
 * channel is on when {@code WEBHOOK_SIGNING_SECRET} is set; status callbacks when
 * {@code DELIVERY_WEBHOOK_URL} is too, signed with the same secret.
 *
 * @param allowHttpLoopback {@code ALLOW_HTTP_WEBHOOKS}: user webhooks may be http to a loopback address
 * @param connectTimeout how long a TCP/TLS connect may take (the smaller of 5 s and the request timeout)
 * @param requestTimeout {@code WEBHOOK_TIMEOUT_SECONDS}: how long the endpoint has to answer
 * @param userAgent sent on every request, {@code Herald/<version>}
 * @param deliveryWebhookUrl {@code DELIVERY_WEBHOOK_URL}, the backend's status callback endpoint, or empty
 */
public record WebhookConfig(SigningSecret secret, boolean allowHttpLoopback, Duration connectTimeout,
                            Duration requestTimeout, String userAgent, Optional<URI> deliveryWebhookUrl) {
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    public WebhookConfig {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(userAgent, "userAgent");
        Objects.requireNonNull(deliveryWebhookUrl, "deliveryWebhookUrl");
        if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive");
        }
        if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new InvalidSetting("WEBHOOK_TIMEOUT_SECONDS", "must be positive");
        }
    }

    /** Defaults around a secret: https only, 5 s to connect, 10 s to answer, no status callbacks. */
    public static WebhookConfig of(SigningSecret secret) {
        return new WebhookConfig(secret, false, MAX_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, defaultUserAgent(),
                Optional.empty());
    }

    public WebhookConfig withAllowHttpLoopback(boolean allow) {
        return new WebhookConfig(secret, allow, connectTimeout, requestTimeout, userAgent, deliveryWebhookUrl);
    }

    /** Sets the request timeout, and the connect timeout to the smaller of it and 5 s. */
    public WebhookConfig withRequestTimeout(Duration timeout) {
        Duration connect = timeout.compareTo(MAX_CONNECT_TIMEOUT) < 0 ? timeout : MAX_CONNECT_TIMEOUT;
        return new WebhookConfig(secret, allowHttpLoopback, connect, timeout, userAgent, deliveryWebhookUrl);
    }

    public WebhookConfig withDeliveryWebhookUrl(URI url) {
        return new WebhookConfig(secret, allowHttpLoopback, connectTimeout, requestTimeout, userAgent, Optional.of(url));
    }

    /**
     * Reads the four variables through {@code env} (a name to its value, null when unset): empty when
     * {@code WEBHOOK_SIGNING_SECRET} is unset (the channel is off). Throws {@link InvalidSetting},
     * naming the variable, for a bad value, or for {@code DELIVERY_WEBHOOK_URL} without a secret.
     */
    public static Optional<WebhookConfig> read(Function<String, String> env) {
        String secret = blankToNull(env.apply(SigningSecret.VARIABLE));
        String callbacks = blankToNull(env.apply("DELIVERY_WEBHOOK_URL"));
        if (secret == null) {
            if (callbacks != null) throw new InvalidSetting("DELIVERY_WEBHOOK_URL", "needs WEBHOOK_SIGNING_SECRET to sign the callbacks");
            return Optional.empty();
        }
        WebhookConfig config = of(SigningSecret.parse(secret))
                .withAllowHttpLoopback(bool(env, "ALLOW_HTTP_WEBHOOKS"))
                .withRequestTimeout(seconds(env, "WEBHOOK_TIMEOUT_SECONDS"));
        return Optional.of(callbacks == null ? config : config.withDeliveryWebhookUrl(callbackUrl(callbacks)));
    }

    /** {@code Herald/<version>}, the version from the jar's manifest ({@code dev} when run from classes). */
    public static String defaultUserAgent() {
        String version = WebhookConfig.class.getPackage().getImplementationVersion();
        return "Herald/" + (version == null ? "dev" : version);
    }

    private static URI callbackUrl(String value) {
        // The operator's own backend: http is fine here (often an internal service), unlike users' URLs.
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && uri.getRawUserInfo() == null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // refused below
        }
        throw new InvalidSetting("DELIVERY_WEBHOOK_URL", "must be an http(s) URL with a host and no credentials");
    }

    private static boolean bool(Function<String, String> env, String name) {
        String v = blankToNull(env.apply(name));
        if (v == null) return false;
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new InvalidSetting(name, "must be true or false");
        };
    }

    private static Duration seconds(Function<String, String> env, String name) {
        String v = blankToNull(env.apply(name));
        if (v == null) return DEFAULT_REQUEST_TIMEOUT;
        try {
            int s = Integer.parseInt(v);
            if (s >= 1 && s <= 300) return Duration.ofSeconds(s);
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new InvalidSetting(name, "must be a whole number of seconds from 1 to 300");
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.strip();
    }
}
