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
 * {@code SMS_MAX_ATTEMPTS} (3), {@code WEBHOOK_MAX_ATTEMPTS} (8); how long a claim holds an outbox
 * row, {@code DELIVERY_LEASE_SECONDS} (60); and the webhook channel, read by herald-channels'
 * {@link WebhookConfig#read} ({@code WEBHOOK_SIGNING_SECRET}, {@code DELIVERY_WEBHOOK_URL},
 * {@code ALLOW_HTTP_WEBHOOKS}, {@code WEBHOOK_TIMEOUT_SECONDS}): empty when no signing secret is
 * set, and then the webhook channel is not configured.
 *
 * @param lease how long a node's claim on an outbox row lasts; a killed node's rows are sent again
 *     by another node once it lapses. Always longer than a webhook send can take (connect plus
 *     answer), so a live node's send is never claimed again while it waits.
 */
public record DeliverySettings(List<Duration> retrySchedule, Map<Channel, Integer> maxAttempts, Duration lease,
                               Optional<WebhookConfig> webhook) {
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(60);

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
        return new DeliverySettings(schedule, attempts, lease(env, webhook), webhook);
    }

    /**
     * {@code DELIVERY_LEASE_SECONDS}, which must outlast a webhook send; unset, 60 s, or twice the
     * longest webhook send when {@code WEBHOOK_TIMEOUT_SECONDS} is raised so far that 60 s would not.
     */
    private static Duration lease(Env env, Optional<WebhookConfig> webhook) {
        // A lease that lapses while its node still waits for the endpoint hands the row to another
        // node mid-send: every slow answer would become a second POST.
        Duration longestSend = webhook.map(w -> w.connectTimeout().plus(w.requestTimeout())).orElse(Duration.ZERO);
        if (env.get("DELIVERY_LEASE_SECONDS").isEmpty()) {
            return DEFAULT_LEASE.compareTo(longestSend) > 0 ? DEFAULT_LEASE : longestSend.multipliedBy(2);
        }
        Duration lease = Duration.ofSeconds(env.integer("DELIVERY_LEASE_SECONDS", 60, 1, 3600));
        if (lease.compareTo(longestSend) <= 0) {
            throw new ConfigException("DELIVERY_LEASE_SECONDS", "must be longer than a webhook send can take ("
                    + longestSend.toSeconds() + " s: WEBHOOK_TIMEOUT_SECONDS plus up to 5 s to connect), got "
                    + lease.toSeconds());
        }
        return lease;
    }

    public RetryPolicy retryPolicy() {
        return new RetryPolicy(retrySchedule, maxAttempts, 0.2);
    }
}
