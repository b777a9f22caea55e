package dev.herald.core.notification;

import java.time.Instant;
import java.util.Objects;

/**
 * One notification in one user's inbox.
 *
 * <p>{@code createdAt} is the inbox time: when the notification entered the inbox, which is when it
 * was accepted, or {@code scheduledAt} for a notification scheduled in the future. The inbox, the
 * sync cursor and the client's {@code timestamp} all order by it, so a scheduled notification
 * shows up where the user would expect it, after what they already saw. The {@code id} is a
 * UUIDv7 whose time part is {@code createdAt}, so ids sort in inbox order (see
 * {@link NotificationIds}). Times have millisecond precision (both stores keep milliseconds).
 *
 * @param data a JSON object as text, {@code "{}"} when there is none
 * @param actorId who caused it, may be null; {@code entityType}/{@code entityId} what it is about,
 *     may be null
 * @param scheduledAt null unless it was scheduled; {@code deliveredAt}, {@code readAt},
 *     {@code expiresAt} null until known
 */
public record Notification(String id, String recipientId, String actorId, String entityType, String entityId,
                           String type, String title, String message, String channel, Priority priority,
                           NotificationStatus status, String data, Instant createdAt, Instant scheduledAt,
                           Instant deliveredAt, Instant readAt, Instant expiresAt) {
    public Notification {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(recipientId, "recipientId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        title = title == null ? "" : title;
        message = message == null ? "" : message;
        data = data == null || data.isBlank() ? "{}" : data;
    }

    public boolean isRead() {
        return readAt != null;
    }

    /** Expired notifications are neither delivered nor listed. */
    public boolean isExpiredAt(Instant now) {
        return expiresAt != null && !expiresAt.isAfter(now);
    }

    /** In the inbox: due and not expired. */
    public boolean isVisibleAt(Instant now) {
        return !createdAt.isAfter(now) && !isExpiredAt(now);
    }

    public Notification withStatus(NotificationStatus newStatus) {
        return new Notification(id, recipientId, actorId, entityType, entityId, type, title, message, channel,
                priority, newStatus, data, createdAt, scheduledAt, deliveredAt, readAt, expiresAt);
    }

    public Notification delivered(Instant at) {
        if (deliveredAt != null) return this;
        NotificationStatus next = status == NotificationStatus.PENDING ? NotificationStatus.DELIVERED : status;
        return new Notification(id, recipientId, actorId, entityType, entityId, type, title, message, channel,
                priority, next, data, createdAt, scheduledAt, at, readAt, expiresAt);
    }

    public Notification read(Instant at) {
        if (readAt != null) return this;
        return new Notification(id, recipientId, actorId, entityType, entityId, type, title, message, channel,
                priority, NotificationStatus.READ, data, createdAt, scheduledAt, deliveredAt, at, expiresAt);
    }
}
