package dev.herald.api.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.inbox.InboxPage;
import dev.herald.core.notification.Created;
import dev.herald.core.notification.Notification;
import dev.herald.core.notification.NotificationPayload;
import java.time.Instant;

/**
 * The REST shapes of notifications. A notification is the client payload every surface uses
 * ({@code id, type, title, message, channel, priority, timestamp, data, readAt}) plus what a REST
 * reader also wants: {@code recipientId}, {@code status}, {@code createdAt} (seed 001's name for the
 * inbox time, equal to {@code timestamp}), {@code scheduledAt}, {@code deliveredAt},
 * {@code expiresAt}, {@code actorId}, {@code entityType}, {@code entityId} (null when unknown).
 */
final class NotificationJson {
    private NotificationJson() {}

    static ObjectNode notification(Notification n) {
        ObjectNode o = NotificationPayload.toNode(n);
        o.put("recipientId", n.recipientId());
        o.put("status", n.status().wireName());
        o.put("createdAt", n.createdAt().toString());
        o.put("scheduledAt", text(n.scheduledAt()));
        o.put("deliveredAt", text(n.deliveredAt()));
        o.put("expiresAt", text(n.expiresAt()));
        o.put("actorId", n.actorId());
        o.put("entityType", n.entityType());
        o.put("entityId", n.entityId());
        return o;
    }

    /** {@code {ids, notifications, replayed}}: what one create did. */
    static ObjectNode created(Created c) {
        ObjectNode o = RestResponses.JSON.createObjectNode();
        ArrayNode ids = o.putArray("ids");
        c.ids().forEach(ids::add);
        ArrayNode list = o.putArray("notifications");
        c.notifications().forEach(n -> list.add(notification(n)));
        o.put("replayed", c.replayed());
        return o;
    }

    /** {@code {notifications, pagination:{page, limit, total, hasMore}, unreadCount}}. */
    static ObjectNode page(InboxPage p) {
        ObjectNode o = RestResponses.JSON.createObjectNode();
        ArrayNode list = o.putArray("notifications");
        p.items().forEach(n -> list.add(notification(n)));
        o.putObject("pagination").put("page", p.page()).put("limit", p.limit()).put("total", p.total())
                .put("hasMore", p.hasMore());
        o.put("unreadCount", p.unreadCount());
        return o;
    }

    private static String text(Instant at) {
        return at == null ? null : at.toString();
    }
}
