package dev.herald.core.notification;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * A request to put a notification in the inboxes of {@code recipients}, as REST, gRPC, NATS and
 * Redis ingestion hand it to {@link dev.herald.core.ingest.NotificationIntake#create}. Nothing is
 * validated here: the pipeline does it and names the bad field. Every field but {@code recipients}
 * and {@code type} may be null.
 *
 * @param priority low | medium | high | urgent (default medium)
 * @param channel the topic channel (seed 001: orders, messages, system); default {@code general}
 * @param data a JSON object handed to the client untouched
 * @param scheduledAt hold the notification until then (a past time means now)
 * @param expiresAt after this it is neither delivered nor listed
 * @param idempotencyKey the caller's {@code Idempotency-Key}; {@code caller} scopes it (service id)
 * @param routing the delivery channels, the fallback and the escalation ({@link Routing#DEFAULT}: in-app only)
 * @param template the template to render and its variables, null when title/message are given as is
 */
public record CreateNotification(List<String> recipients, String type, String title, String message, String channel,
                                 String priority, JsonNode data, String actorId, String entityType, String entityId,
                                 Instant scheduledAt, Instant expiresAt, String idempotencyKey, String caller,
                                 Routing routing, TemplateRef template) {
    public CreateNotification {
        recipients = recipients == null ? List.of() : List.copyOf(recipients);
        routing = routing == null ? Routing.DEFAULT : routing;
    }

    /** A request with the default routing (in-app only) and no template. */
    public CreateNotification(List<String> recipients, String type, String title, String message, String channel,
                              String priority, JsonNode data, String actorId, String entityType, String entityId,
                              Instant scheduledAt, Instant expiresAt, String idempotencyKey, String caller) {
        this(recipients, type, title, message, channel, priority, data, actorId, entityType, entityId, scheduledAt,
                expiresAt, idempotencyKey, caller, Routing.DEFAULT, null);
    }

    /**
     * Where it goes, as the caller wrote it (wire names, validated by the pipeline).
     *
     * @param channels delivery channels ({@code inApp}, {@code email}, {@code push}, {@code sms},
     *     {@code webhook}); null or empty means {@code ["inApp"]}
     * @param fallback a channel to use as well when the recipient has no live socket at dispatch
     * @param escalate a channel to use if the notification is still unread after a while
     */
    public record Routing(List<String> channels, String fallback, Escalation escalate) {
        public static final Routing DEFAULT = new Routing(null, null, null);

        public Routing {
            channels = channels == null ? null : List.copyOf(channels);
        }
    }

    /** {@code escalate: {"channel": "email", "afterSeconds": 900}}; {@code afterSeconds} null when missing. */
    public record Escalation(String channel, Long afterSeconds) {}

    /**
     * {@code template} + {@code variables} + {@code locale}, rendered per channel by herald-channels.
     *
     * @param version the template key's revision the pipeline checked it against (null in a request):
     *     the notification records it and renders that revision at send time
     */
    public record TemplateRef(String key, JsonNode variables, String locale, Long version) {
        public TemplateRef(String key, JsonNode variables, String locale) {
            this(key, variables, locale, null);
        }

        public TemplateRef withVersion(long checked) {
            return new TemplateRef(key, variables, locale, checked);
        }
    }

    /** The common shape: one recipient, no schedule, no key. */
    public static CreateNotification to(String recipient, String type, String title, String message) {
        return new CreateNotification(List.of(recipient), type, title, message, null, null, null, null, null, null,
                null, null, null, null);
    }

    public CreateNotification withChannel(String newChannel) {
        return new CreateNotification(recipients, type, title, message, newChannel, priority, data, actorId, entityType,
                entityId, scheduledAt, expiresAt, idempotencyKey, caller, routing, template);
    }

    public CreateNotification withPriority(String newPriority) {
        return new CreateNotification(recipients, type, title, message, channel, newPriority, data, actorId, entityType,
                entityId, scheduledAt, expiresAt, idempotencyKey, caller, routing, template);
    }

    public CreateNotification withData(JsonNode newData) {
        return new CreateNotification(recipients, type, title, message, channel, priority, newData, actorId, entityType,
                entityId, scheduledAt, expiresAt, idempotencyKey, caller, routing, template);
    }

    public CreateNotification withSchedule(Instant newScheduledAt, Instant newExpiresAt) {
        return new CreateNotification(recipients, type, title, message, channel, priority, data, actorId, entityType,
                entityId, newScheduledAt, newExpiresAt, idempotencyKey, caller, routing, template);
    }

    public CreateNotification withIdempotencyKey(String key, String newCaller) {
        return new CreateNotification(recipients, type, title, message, channel, priority, data, actorId, entityType,
                entityId, scheduledAt, expiresAt, key, newCaller, routing, template);
    }

    public CreateNotification withRouting(Routing newRouting) {
        return new CreateNotification(recipients, type, title, message, channel, priority, data, actorId, entityType,
                entityId, scheduledAt, expiresAt, idempotencyKey, caller, newRouting, template);
    }

    /** The same request with the inbox title and message a template rendered. */
    public CreateNotification withText(String newTitle, String newMessage) {
        return new CreateNotification(recipients, type, newTitle, newMessage, channel, priority, data, actorId, entityType,
                entityId, scheduledAt, expiresAt, idempotencyKey, caller, routing, template);
    }

    public CreateNotification withTemplate(TemplateRef newTemplate) {
        return new CreateNotification(recipients, type, title, message, channel, priority, data, actorId, entityType,
                entityId, scheduledAt, expiresAt, idempotencyKey, caller, routing, newTemplate);
    }
}
