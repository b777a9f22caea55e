package dev.herald.server.config;

import dev.herald.channels.webhook.InvalidSetting;
import dev.herald.channels.webhook.WebhookConfig;
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
 * {@code SMS_MAX_ATTEMPTS} (3), {@code WEBHOOK_MAX_ATTEMPTS} (8); and the webhook channel, read by
 * herald-channels' {@link WebhookConfig#read} ({@code WEBHOOK_SIGNING_SECRET},
 * {@code DELIVERY_WEBHOOK_URL}, {@code ALLOW_HTTP_WEBHOOKS}, {@code WEBHOOK_TIMEOUT_SECONDS}): empty
 * when no signing secret is set, and then the webhook channel is not configured.
 */
public record DeliverySettings(List<Duration> retrySchedule, Map<Channel, Integer> maxAttempts,
                               Optional<WebhookConfig> webhook) {
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
        Optional<WebhookConfig> webhook;
        try {
            webhook = WebhookConfig.read(name -> env.get(name).orElse(null));
        } catch (InvalidSetting e) {
            throw new ConfigException(e.variable(), e.getMessage());
        }
        return new DeliverySettings(schedule, attempts, webhook);
    }

    public RetryPolicy retryPolicy() {
        return new RetryPolicy(retrySchedule, maxAttempts, 0.2);
    }
}
