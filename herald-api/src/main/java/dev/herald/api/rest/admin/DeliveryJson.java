package dev.herald.api.rest.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.Json;
import dev.herald.core.notification.Channel;
import dev.herald.core.notification.Delivery;
import dev.herald.core.notification.DeliveryAttempt;
import dev.herald.core.notification.DeliveryStatus;
import dev.herald.core.notification.Priority;
import dev.herald.core.route.ConnectionStats;
import dev.herald.core.store.OutboxStats;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Deliveries, their attempts and the outbox's figures as the admin API writes them. */
public final class DeliveryJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private DeliveryJson() {}

    /**
     * One outbox row: what is delivered to whom, and where it stands. The payload is left out: it
     * holds the message, which an operator's listing has no need to show.
     */
    public static ObjectNode delivery(Delivery d) {
        Delivery.Target t = d.target();
        Delivery.State s = d.state();
        ObjectNode o = NODES.objectNode().put("id", d.id()).put("notificationId", t.notificationId())
                .put("recipientId", t.recipientId()).put("type", t.type()).put("channel", t.channel().wire())
                .put("priority", priority(t.priority())).put("kind", t.kind().name().toLowerCase(Locale.ROOT))
                .put("status", s.status().wire()).put("reason", s.reason()).put("attempts", s.attempts())
                .put("dueAt", s.dueAt().toString()).put("createdAt", d.createdAt().toString())
                .put("updatedAt", s.updatedAt().toString());
        // The template and the version it renders, never its variables: they are the message.
        JsonNode template = Json.parse(d.payload(), "delivery payload").path("template");
        if (template.isObject()) {
            o.putObject("template").put("key", template.path("key").asText()).set("version", template.get("version"));
        }
        return o;
    }

    /** A delivery with its log: {@code history}, its attempts in order. */
    static ObjectNode delivery(Delivery d, List<DeliveryAttempt> history) {
        ObjectNode o = delivery(d);
        ArrayNode a = o.putArray("history");
        history.forEach(h -> a.add(attempt(h)));
        return o;
    }

    /** An attempt; {@code providerId} and {@code detail} only when the send gave them. */
    public static ObjectNode attempt(DeliveryAttempt a) {
        ObjectNode o = NODES.objectNode().put("attempt", a.attempt()).put("outcome", a.outcome().wire())
                .put("provider", a.provider()).put("latencyMs", a.latency().toMillis()).put("error", a.error())
                .put("at", a.at().toString());
        if (a.providerId() != null) o.put("providerId", a.providerId());
        if (a.detail() != null) o.put("detail", a.detail());
        return o;
    }

    static ObjectNode stats(OutboxStats outbox, ConnectionStats connections, Instant at) {
        ObjectNode o = NODES.objectNode();
        // Per team counts stay on GET /realtime/stats: a listing of every team is no headline figure.
        o.putObject("connections").put("total", connections.totalConnections())
                .put("websocket", connections.websocketConnections()).put("polling", connections.pollingConnections());
        ObjectNode deliveries = o.putObject("deliveries");
        long dead = 0;
        for (Channel c : Channel.values()) {
            Map<DeliveryStatus, Long> counts = outbox.counts().getOrDefault(c, Map.of());
            if (counts.isEmpty()) continue;
            ObjectNode byStatus = deliveries.putObject(c.wire());
            for (DeliveryStatus s : DeliveryStatus.values()) {
                if (counts.containsKey(s)) byStatus.put(s.wire(), counts.get(s));
            }
            dead += counts.getOrDefault(DeliveryStatus.DEAD, 0L);
        }
        ObjectNode queue = o.putObject("queue");
        for (Priority p : Priority.values()) {
            OutboxStats.Queue q = outbox.queued().getOrDefault(p, new OutboxStats.Queue(0, Duration.ZERO));
            queue.putObject(priority(p)).put("due", q.due()).put("oldestDueAgeMs", q.oldestDueAge().toMillis());
        }
        o.put("deadLetters", dead);
        return o.put("at", at.toString());
    }

    private static String priority(Priority p) {
        return p.wireName();
    }
}
