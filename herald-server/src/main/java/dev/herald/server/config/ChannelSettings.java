package dev.herald.server.config;

import dev.herald.channels.email.EmailConfig;
import dev.herald.channels.sms.SmsConfig;
import dev.herald.channels.webhook.InvalidSetting;
import dev.herald.core.deliver.dispatch.RateLimits;
import dev.herald.core.notification.Channel;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The email and SMS channels, the links email carries, and the per-user rate limits (DESIGN §5).
 * Email is read by herald-channels' {@link EmailConfig#read} ({@code SMTP_URL}, {@code EMAIL_FROM},
 * {@code DKIM_*}), SMS by {@link SmsConfig#read} ({@code SMS_*}); either is empty, and its channel
 * not configured, when its variables are unset.
 *
 * @param publicUrl {@code HERALD_PUBLIC_URL}: where users' mail clients reach Herald; without it
 *     emails carry no {@code List-Unsubscribe} (a link to nowhere would be worse than none)
 * @param unsubscribeSecret {@code UNSUBSCRIBE_SECRET}: the key of the unsubscribe links; empty:
 *     derived from the JWT HS256 secret (JWT_SECRET or the generated one)
 * @param rateLimits {@code RATE_LIMIT_EMAIL_PER_HOUR} (10), {@code RATE_LIMIT_SMS_PER_HOUR} (5),
 *     {@code RATE_LIMIT_PUSH_PER_HOUR} (50), {@code RATE_LIMIT_WEBHOOK_PER_HOUR} (unlimited); 0 is unlimited
 */
public record ChannelSettings(Optional<EmailConfig> email, Optional<SmsConfig> sms, Optional<URI> publicUrl,
                              Optional<Secret> unsubscribeSecret, RateLimits rateLimits) {

    static ChannelSettings from(Env env) {
        Function<String, String> vars = name -> env.get(name).orElse(null);
        Optional<EmailConfig> email;
        Optional<SmsConfig> sms;
        try {
            email = EmailConfig.read(vars);
            sms = SmsConfig.read(vars);
        } catch (InvalidSetting e) {
            throw new ConfigException(e.variable(), e.getMessage().substring(e.variable().length()).strip());
        }
        Optional<URI> publicUrl = env.get("HERALD_PUBLIC_URL").map(ChannelSettings::publicUrl);
        Optional<Secret> secret = env.get("UNSUBSCRIBE_SECRET").map(Secret::new);
        if (secret.isPresent() && secret.get().value().getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new ConfigException("UNSUBSCRIBE_SECRET", "must be at least 32 bytes");
        }
        Map<Channel, Integer> limits = new EnumMap<>(Channel.class);
        limit(env, limits, Channel.EMAIL, 10);
        limit(env, limits, Channel.SMS, 5);
        limit(env, limits, Channel.PUSH, 50);
        limit(env, limits, Channel.WEBHOOK, 0);
        return new ChannelSettings(email, sms, publicUrl, secret, new RateLimits(limits));
    }

    private static void limit(Env env, Map<Channel, Integer> limits, Channel channel, int fallback) {
        String name = "RATE_LIMIT_" + channel.wire().toUpperCase(Locale.ROOT) + "_PER_HOUR";
        int n = env.integer(name, fallback, 0, 1_000_000);
        if (n > 0) limits.put(channel, n);
    }

    private static URI publicUrl(String value) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && uri.getRawQuery() == null
                    && uri.getRawUserInfo() == null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // refused below
        }
        throw new ConfigException("HERALD_PUBLIC_URL", "must be an http(s) URL with a host, like https://notify.example.com");
    }
}
