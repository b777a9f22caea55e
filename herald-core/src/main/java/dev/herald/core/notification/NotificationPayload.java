package dev.herald.core.notification;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.herald.core.Json;
import java.time.Instant;
import java.util.List;

/**
 * The one client shape of a notification (DESIGN §3, seed 001's server event): {@code id, type,
 * title, message, channel, priority, timestamp, data, readAt}. {@code timestamp} is the inbox time
 * (ISO-8601 UTC), the value clients pass back as {@code since}; {@code data} is the stored JSON
 * unchanged; {@code readAt} is null while unread.
 */
public final class NotificationPayload {
    private static final ObjectMapper JSON = new ObjectMapper(Json.factory());
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private NotificationPayload() {}

    public static ObjectNode toNode(Notification n) {
        ObjectNode o = NODES.objectNode();
        o.put("id", n.id());
        o.put("type", n.type());
        o.put("title", n.title());
        o.put("message", n.message());
        o.put("channel", n.channel());
        o.put("priority", n.priority().wireName());
        o.put("timestamp", n.createdAt().toString());
        o.putRawValue("data", new RawValue(n.data()));
        o.put("readAt", n.readAt() == null ? null : n.readAt().toString());
        return o;
    }

    /**
     * The client shape plus what an inbox owner may also want over REST (seed 001's
     * {@code GET /notifications} item): {@code status, createdAt, deliveredAt, expiresAt, actorId,
     * entityType, entityId}. Socket events keep the plain shape.
     */
    public static ObjectNode toDetailNode(Notification n) {
        ObjectNode o = toNode(n);
        o.put("status", n.status().wireName());
        o.put("createdAt", n.createdAt().toString());
        o.put("deliveredAt", n.deliveredAt() == null ? null : n.deliveredAt().toString());
        o.put("expiresAt", n.expiresAt() == null ? null : n.expiresAt().toString());
        o.put("actorId", n.actorId());
        o.put("entityType", n.entityType());
        o.put("entityId", n.entityId());
        return o;
    }

    public static ArrayNode toArray(List<Notification> notifications) {
        ArrayNode a = NODES.arrayNode(notifications.size());
        notifications.forEach(n -> a.add(toNode(n)));
        return a;
    }

    public static String toJson(Notification n) {
        return write(toNode(n));
    }

    /** The {@code notificationStatus} event for one notification (seed 001 plus the state's time). */
    public static String status(String notificationId, String status, Instant at) {
        ObjectNode o = NODES.objectNode();
        o.put("notificationId", notificationId);
        o.put("status", status);
        if (status.equals("read")) o.put("readAt", at.toString());
        if (status.equals("delivered")) o.put("deliveredAt", at.toString());
        o.put("timestamp", at.toString());
        return write(o);
    }

    /** The {@code notificationStatus} event after read-all: every id it changed. */
    public static String readAll(List<String> ids, Instant at) {
        ObjectNode o = NODES.objectNode();
        ArrayNode list = o.putArray("notificationIds");
        ids.forEach(list::add);
        o.put("status", "read");
        o.put("readAt", at.toString());
        o.put("timestamp", at.toString());
        return write(o);
    }

    public static String write(Object node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a notification payload", e);
        }
    }
}
