package dev.herald.core.notification;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.store.Idempotency;
import java.time.Instant;
import java.util.List;

/**
 * A request to put a notification in the inboxes of {@code recipients}, as REST, gRPC, NATS and
 * Redis ingestion hand it to {@link dev.herald.core.ingest.NotificationIntake#create}. Nothing is validated here: the
 * service does it and names the bad field. Every field but {@code recipients} and {@code type} may
 * be null.
 *
 * @param priority low | medium | high | urgent (default medium)
 * @param channel the topic channel (seed 001: orders, messages, system); default {@code general}
 * @param data a JSON object handed to the client untouched
 * @param scheduledAt hold the notification until then (a past time means now)
 * @param expiresAt after this it is neither delivered nor listed
 * @param idempotencyKey the caller's {@code Idempotency-Key}; {@code caller} scopes it (service id)
 */
public record CreateNotification(List<String> recipients, String type, String title, String message, String channel,
                                 String priority, JsonNode data, String actorId, String entityType, String entityId,
                                 Instant scheduledAt, Instant expiresAt, String idempotencyKey, String caller) {
    public CreateNotification {
        recipients = recipients == null ? List.of() : List.copyOf(recipients);
    }

    /** The common shape: one recipient, no schedule, no key. */
    public static CreateNotification to(String recipient, String type, String title, String message) {
        return new CreateNotification(List.of(recipient), type, title, message, null, null, null, null, null, null,
                null, null, null, null);
    }

    public CreateNotification withChannel(String newChannel) {
        return new CreateNotification(recipients, type, title, message, newChannel, priority, data, actorId, entityType,
                entityId, scheduledAt, expiresAt, idempotencyKey, caller);
    }

    public CreateNotification withPriority(String newPriority) {
        return new CreateNotification(recipients, type, title, message, channel, newPriority, data, actorId, entityType,
                entityId, scheduledAt, expiresAt, idempotencyKey, caller);
    }

    public CreateNotification withData(JsonNode newData) {
        return new CreateNotification(recipients, type, title, message, channel, priority, newData, actorId, entityType,
                entityId, scheduledAt, expiresAt, idempotencyKey, caller);
    }

    public CreateNotification withSchedule(Instant newScheduledAt, Instant newExpiresAt) {
        return new CreateNotification(recipients, type, title, message, channel, priority, data, actorId, entityType,
                entityId, newScheduledAt, newExpiresAt, idempotencyKey, caller);
    }

    public CreateNotification withIdempotencyKey(String key, String newCaller) {
        return new CreateNotification(recipients, type, title, message, channel, priority, data, actorId, entityType,
                entityId, scheduledAt, expiresAt, key, newCaller);
    }
}
