package dev.herald.server.config;

import dev.herald.core.deliver.dispatch.RetryPolicy;
import dev.herald.core.notification.Channel;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How the dispatcher retries (DESIGN §5): {@code DELIVERY_RETRY_SCHEDULE} (default
 * {@code 1s,5s,30s,5m}) and {@code EMAIL_MAX_ATTEMPTS} (3), {@code PUSH_MAX_ATTEMPTS} (5),
 * {@code SMS_MAX_ATTEMPTS} (3), {@code WEBHOOK_MAX_ATTEMPTS} (8); and the webhook channel:
 * {@code WEBHOOK_SIGNING_SECRET} (Standard Webhooks {@code whsec_…}; the channel is configured only
 * with it), {@code DELIVERY_WEBHOOK_URL} (signed status callbacks), {@code ALLOW_HTTP_WEBHOOKS}
 * (http to loopback addresses, for tests and local setups).
 */
public record DeliverySettings(List<Duration> retrySchedule, Map<Channel, Integer> maxAttempts,
                               Optional<Secret> webhookSigningSecret, Optional<String> deliveryWebhookUrl,
                               boolean allowHttpWebhooks) {
    public DeliverySettings {
        retrySchedule = List.copyOf(retrySchedule);
        maxAttempts = Map.copyOf(maxAttempts);
    }

    static DeliverySettings from(Env env) {
        List<Duration> schedule;
        try {
            schedule = RetryPolicy.parseSchedule(env.string("DELIVERY_RETRY_SCHEDULE", "1s,5s,30s,5m"));
            new RetryPolicy(schedule, Map.of(), 0);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("DELIVERY_RETRY_SCHEDULE", e.getMessage());
        }
        Map<Channel, Integer> attempts = new EnumMap<>(Channel.class);
        attempts.put(Channel.EMAIL, env.integer("EMAIL_MAX_ATTEMPTS", 3, 1, 100));
        attempts.put(Channel.PUSH, env.integer("PUSH_MAX_ATTEMPTS", 5, 1, 100));
        attempts.put(Channel.SMS, env.integer("SMS_MAX_ATTEMPTS", 3, 1, 100));
        attempts.put(Channel.WEBHOOK, env.integer("WEBHOOK_MAX_ATTEMPTS", 8, 1, 100));
        Optional<Secret> secret = env.get("WEBHOOK_SIGNING_SECRET").map(Secret::new);
        secret.ifPresent(s -> {
            if (!s.value().startsWith("whsec_") || s.value().length() < 20) {
                throw new ConfigException("WEBHOOK_SIGNING_SECRET", "must be whsec_ followed by a base64 key of at least 16 bytes");
            }
        });
        Optional<String> callbacks = env.get("DELIVERY_WEBHOOK_URL");
        callbacks.ifPresent(u -> {
            if (!u.startsWith("https://") && !u.startsWith("http://")) throw new ConfigException("DELIVERY_WEBHOOK_URL", "must be an http(s) URL");
            if (secret.isEmpty()) throw new ConfigException("DELIVERY_WEBHOOK_URL", "needs WEBHOOK_SIGNING_SECRET to sign the callbacks");
        });
        return new DeliverySettings(schedule, attempts, secret, callbacks, env.bool("ALLOW_HTTP_WEBHOOKS", false));
    }

    public RetryPolicy retryPolicy() {
        return new RetryPolicy(retrySchedule, maxAttempts, 0.2);
    }
}
