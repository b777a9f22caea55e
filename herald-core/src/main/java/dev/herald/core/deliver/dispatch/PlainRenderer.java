package dev.herald.core.deliver.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.Json;
import dev.herald.core.notification.Channel;
import dev.herald.core.notification.Contact;
import dev.herald.core.notification.Delivery;
import dev.herald.core.notification.NotificationPayload;
import java.util.List;

/**
 * Content without templates: the subject is the title, the text the message, the JSON the
 * notification as clients see it; a digest lists its notifications ("3 new notifications").
 */
public final class PlainRenderer implements MessageRenderer {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Override
    public OutboundMessage.Content render(Channel channel, List<Delivery> deliveries, Contact contact) {
        if (deliveries.size() == 1 && deliveries.getFirst().target().digestKey() == null) {
            JsonNode n = notification(deliveries.getFirst());
            return new OutboundMessage.Content(n.path("title").asText(), n.path("message").asText(), null,
                    NotificationPayload.write(n));
        }
        ObjectNode digest = NODES.objectNode().put("type", "digest").put("count", deliveries.size());
        ArrayNode list = digest.putArray("notifications");
        StringBuilder text = new StringBuilder();
        for (Delivery d : deliveries) {
            JsonNode n = notification(d);
            list.add(n);
            text.append("- ").append(n.path("title").asText(n.path("message").asText())).append('\n');
        }
        String subject = deliveries.size() + (deliveries.size() == 1 ? " new notification" : " new notifications");
        return new OutboundMessage.Content(subject, text.toString(), null, NotificationPayload.write(digest));
    }

    /** The client shape stored in the row's payload at create. */
    static JsonNode notification(Delivery d) {
        return Json.parse(d.payload(), "delivery payload").path("notification");
    }
}
