package dev.herald.api.grpc;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.api.grpc.v1.CreateRequest;
import dev.herald.api.grpc.v1.CreateResponse;
import dev.herald.api.grpc.v1.ListResponse;
import dev.herald.api.grpc.v1.Notification;
import dev.herald.core.Json;
import dev.herald.core.inbox.InboxPage;
import dev.herald.core.notification.Created;
import java.time.Instant;

/**
 * Between herald.v1 messages and the REST shapes. A create request becomes the REST body (only
 * the fields that are set), so {@link dev.herald.api.rest.NotificationBodies} reads it and every
 * refusal names the same field as over REST; proto3 cannot tell an empty string from an absent
 * one, so an empty string means "not given".
 */
final class GrpcNotifications {
    private GrpcNotifications() {
    }

    static ObjectNode body(CreateRequest r) {
        ObjectNode o = Json.object();
        if (r.getRecipientsCount() > 0) {
            ArrayNode list = o.putArray("recipients");
            r.getRecipientsList().forEach(list::add);
        }
        text(o, "room", r.getRoom());
        text(o, "type", r.getType());
        text(o, "title", r.getTitle());
        text(o, "message", r.getMessage());
        text(o, "channel", r.getChannel());
        text(o, "priority", r.getPriority());
        if (!r.getDataJson().isEmpty()) o.set("data", Json.parse(r.getDataJson(), "data_json"));
        text(o, "actorId", r.getActorId());
        text(o, "entityType", r.getEntityType());
        text(o, "entityId", r.getEntityId());
        text(o, "scheduledAt", r.getScheduledAt());
        text(o, "expiresAt", r.getExpiresAt());
        text(o, "idempotencyKey", r.getIdempotencyKey());
        if (r.getChannelsCount() > 0) {
            ArrayNode list = o.putArray("channels");
            r.getChannelsList().forEach(list::add);
        }
        text(o, "fallback", r.getFallback());
        if (r.hasEscalate()) {
            ObjectNode e = o.putObject("escalate");
            text(e, "channel", r.getEscalate().getChannel());
            e.put("afterSeconds", r.getEscalate().getAfterSeconds());
        }
        text(o, "template", r.getTemplate());
        if (!r.getVariablesJson().isEmpty()) o.set("variables", Json.parse(r.getVariablesJson(), "variables_json"));
        text(o, "locale", r.getLocale());
        return o;
    }

    private static void text(ObjectNode o, String name, String value) {
        if (!value.isEmpty()) o.put(name, value);
    }

    static CreateResponse created(Created c) {
        CreateResponse.Builder b = CreateResponse.newBuilder().addAllIds(c.ids()).setReplayed(c.replayed());
        c.notifications().forEach(n -> b.addNotifications(notification(n)));
        return b.build();
    }

    static ListResponse page(InboxPage p) {
        ListResponse.Builder b = ListResponse.newBuilder().setPage(p.page()).setLimit(p.limit()).setTotal(p.total())
                .setHasMore(p.hasMore()).setUnreadCount(p.unreadCount());
        p.items().forEach(n -> b.addNotifications(notification(n)));
        return b.build();
    }

    static Notification notification(dev.herald.core.notification.Notification n) {
        return Notification.newBuilder().setId(n.id()).setRecipientId(n.recipientId()).setType(n.type())
                .setTitle(n.title()).setMessage(n.message()).setChannel(n.channel()).setPriority(n.priority().wireName())
                .setStatus(n.status().wireName()).setDataJson(n.data()).setCreatedAt(time(n.createdAt()))
                .setScheduledAt(time(n.scheduledAt())).setDeliveredAt(time(n.deliveredAt())).setReadAt(time(n.readAt()))
                .setExpiresAt(time(n.expiresAt())).setActorId(orEmpty(n.actorId())).setEntityType(orEmpty(n.entityType()))
                .setEntityId(orEmpty(n.entityId())).build();
    }

    private static String time(Instant at) {
        return at == null ? "" : at.toString();
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
