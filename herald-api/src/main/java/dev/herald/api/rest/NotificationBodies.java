package dev.herald.api.rest;

import static dev.herald.api.rest.RestResponses.optionalString;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.notification.CreateNotification;
import dev.herald.core.store.Idempotency;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads a REST create body into a {@link CreateNotification}. Only the JSON shape is checked here
 * (types, timestamps, the recipients-or-room choice, unknown fields); the pipeline checks the
 * values and names the bad field the same way for every surface.
 *
 * <p>Unknown fields are refused rather than ignored: a misspelt {@code sheduledAt} or
 * {@code chanels} would otherwise get a 202 for something Herald did not do.
 */
public final class NotificationBodies {
    static final Set<String> FIELDS = Set.of("type", "recipients", "room", "title", "message", "channel", "category",
            "priority", "data", "actorId", "entityType", "entityId", "scheduledAt", "expiresAt", "idempotencyKey",
            "channels", "fallback", "escalate", "template", "variables", "locale");
    private static final String USER_ROOM = "user:";

    private NotificationBodies() {}

    private static HeraldException invalid(String field, String why) {
        return new HeraldException(ErrorCode.INVALID_ARGUMENT, field + ": " + why);
    }

    /**
     * @param headerKey the request's {@code Idempotency-Key} header (or the one derived for a bulk
     *     item), null when none
     * @param caller the authenticated service, which scopes idempotency keys
     */
    public static CreateNotification create(JsonNode node, String headerKey, String caller) {
        if (node == null || !node.isObject()) throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "a notification must be a JSON object");
        ObjectNode body = (ObjectNode) node;
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) throw invalid(name, "unknown field");
        }
        return new CreateNotification(recipients(body), field(body, "type"), field(body, "title"),
                field(body, "message"), channel(body), field(body, "priority"), data(body), field(body, "actorId"),
                field(body, "entityType"), field(body, "entityId"), instant(body, "scheduledAt"),
                instant(body, "expiresAt"), idempotencyKey(body, headerKey), caller, routing(body), template(body));
    }

    /** {@code channels}, {@code fallback}, {@code escalate}: shapes here, values in the pipeline. */
    private static CreateNotification.Routing routing(ObjectNode body) {
        List<String> channels = null;
        JsonNode list = body.get("channels");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) throw invalid("channels", "must be an array of channel names");
            channels = new ArrayList<>(list.size());
            for (JsonNode item : list) {
                if (!item.isTextual()) throw invalid("channels", "must be an array of channel names (strings)");
                channels.add(item.textValue());
            }
        }
        CreateNotification.Escalation escalate = null;
        JsonNode e = body.get("escalate");
        if (e != null && !e.isNull()) {
            if (!e.isObject()) throw invalid("escalate", "must be an object {channel, afterSeconds}");
            for (Iterator<String> names = e.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!name.equals("channel") && !name.equals("afterSeconds")) throw invalid("escalate." + name, "unknown field");
            }
            JsonNode after = e.get("afterSeconds");
            if (after != null && !after.isNull() && !after.canConvertToLong()) throw invalid("escalate.afterSeconds", "must be a whole number");
            escalate = new CreateNotification.Escalation(field((ObjectNode) e, "channel"),
                    after == null || after.isNull() ? null : after.asLong());
        }
        return new CreateNotification.Routing(channels, field(body, "fallback"), escalate);
    }

    private static CreateNotification.TemplateRef template(ObjectNode body) {
        String key = field(body, "template");
        JsonNode variables = body.get("variables");
        String locale = field(body, "locale");
        if (key == null) {
            if (variables != null && !variables.isNull()) throw invalid("variables", "needs a template");
            if (locale != null) throw invalid("locale", "needs a template");
            return null;
        }
        return new CreateNotification.TemplateRef(key, variables, locale);
    }

    private static String field(ObjectNode body, String name) {
        try {
            return optionalString(body, name);
        } catch (HeraldException e) {
            throw invalid(name, "must be a string");
        }
    }

    /**
     * {@code recipients} (user ids) or {@code room}. Only a {@code user:{id}} room can be stored:
     * Herald keeps no team or group membership, only who is connected, and an inbox entry for
     * "whoever happens to be online" would break the promise that the inbox is complete.
     */
    private static List<String> recipients(ObjectNode body) {
        JsonNode list = body.get("recipients");
        String room = field(body, "room");
        boolean hasList = list != null && !list.isNull();
        if (hasList && room != null) throw invalid("room", "send either recipients or room, not both");
        if (room != null) {
            if (!room.startsWith(USER_ROOM) || room.length() == USER_ROOM.length()) {
                throw invalid("room", "only a user:{id} room holds stored notifications; name the users in recipients"
                        + " (for a live-only event to a team or group use POST /api/v1/realtime/rooms/{room}/events)");
            }
            return List.of(room.substring(USER_ROOM.length()));
        }
        if (!hasList) return List.of();
        if (!list.isArray()) throw invalid("recipients", "must be an array of user ids");
        List<String> out = new ArrayList<>(list.size());
        for (JsonNode item : list) {
            if (!item.isTextual()) throw invalid("recipients", "must be an array of user ids (strings)");
            out.add(item.textValue());
        }
        return out;
    }

    /** {@code category} is accepted as the design's other name for {@code channel}. */
    private static String channel(ObjectNode body) {
        String channel = field(body, "channel");
        String category = field(body, "category");
        if (channel != null && category != null && !channel.equals(category)) {
            throw invalid("category", "is another name for channel; send one of them");
        }
        return channel != null ? channel : category;
    }

    private static JsonNode data(ObjectNode body) {
        JsonNode data = body.get("data");
        return data == null || data.isNull() ? null : data;
    }

    private static Instant instant(ObjectNode body, String name) {
        String text = field(body, name);
        if (text == null || text.isBlank()) return null;
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw invalid(name, "must be an ISO-8601 date-time with an offset, e.g. 2026-01-15T14:00:00Z");
        }
    }

    private static String idempotencyKey(ObjectNode body, String headerKey) {
        String inBody = field(body, "idempotencyKey");
        if (inBody != null && headerKey != null && !inBody.equals(headerKey)) {
            throw invalid("idempotencyKey", "differs from the Idempotency-Key header; send one of them");
        }
        return inBody != null ? inBody : headerKey;
    }
}
