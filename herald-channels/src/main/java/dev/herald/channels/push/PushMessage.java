package dev.herald.channels.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.deliver.dispatch.OutboundMessage;
import dev.herald.core.notification.Priority;
import java.util.Objects;

/**
 * What every platform shows: the rendered subject as the title, the rendered text as the body, and
 * the notification's JSON (the client shape, or a digest) as data for the app.
 *
 * @param deliveryId the outbox row's id, stable across retries (APNs derives its apns-id from it)
 * @param data the notification JSON as an object (empty when it is not one)
 */
public record PushMessage(String deliveryId, Priority priority, String title, String body, ObjectNode data) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public PushMessage {
        Objects.requireNonNull(deliveryId, "deliveryId");
        Objects.requireNonNull(priority, "priority");
        title = title == null ? "" : title;
        body = body == null ? "" : body;
        data = data == null ? JSON.createObjectNode() : data;
    }

    public static PushMessage of(OutboundMessage message) {
        OutboundMessage.Content content = message.content();
        ObjectNode data;
        try {
            JsonNode parsed = JSON.readTree(content.json());
            data = parsed instanceof ObjectNode o ? o : JSON.createObjectNode();
        } catch (Exception e) {
            data = JSON.createObjectNode();
        }
        String title = content.subject().isEmpty() ? data.path("title").asText("") : content.subject();
        String body = content.text().isEmpty() ? data.path("message").asText("") : content.text();
        return new PushMessage(message.deliveryId(), message.target().priority(), title, body, data);
    }

    /** FCM's and APNs' payload limit; Web Push's body limit is the same number. */
    public static final int MAX_PAYLOAD_BYTES = 4096;

    /**
     * The data cut down to the fields an app needs to fetch the rest ({@code id}, {@code type},
     * {@code count} of a digest, {@code priority}, {@code timestamp}): what a platform sends when the
     * whole would pass its payload limit (a digest's list, a large {@code data}).
     */
    public ObjectNode compactData() {
        ObjectNode small = JSON.createObjectNode();
        for (String field : new String[] {"id", "type", "count", "priority", "timestamp"}) {
            JsonNode v = data.get(field);
            if (v != null && v.isValueNode()) small.set(field, v);
        }
        return small;
    }

    /** Urgent and high go out at the platforms' high priority (wakes the device); medium and low at normal. */
    public boolean high() {
        return priority == Priority.URGENT || priority == Priority.HIGH;
    }

    public static ObjectMapper json() {
        return JSON;
    }
}
