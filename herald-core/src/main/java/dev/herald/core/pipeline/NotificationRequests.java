package dev.herald.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.notification.CreateNotification;
import dev.herald.core.notification.CreateNotification.TemplateRef;
import dev.herald.core.notification.Notification;
import dev.herald.core.notification.NotificationIds;
import dev.herald.core.notification.NotificationPayload;
import dev.herald.core.notification.NotificationStatus;
import dev.herald.core.notification.Priority;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.IllformedLocaleException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Turns a {@link CreateNotification} into notification rows, refusing bad input field by field. */
final class NotificationRequests {
    static final int MAX_DATA_BYTES = 64 * 1024;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:\\-]{1,100}");
    private static final String DEFAULT_CHANNEL = "general";

    private NotificationRequests() {}

    private static HeraldException invalid(String field, String why) {
        return new HeraldException(ErrorCode.INVALID_ARGUMENT, field + ": " + why);
    }

    private static String optional(String field, String value, int max) {
        if (value == null || value.isBlank()) return null;
        if (value.length() > max) throw invalid(field, "at most " + max + " characters");
        return value;
    }

    /** Validates and builds one row per distinct recipient, in request order. */
    static List<Notification> build(CreateNotification r, Instant now, PipelineConfig config, NotificationIds ids) {
        List<String> recipients = recipients(r.recipients(), config.maxRecipients());
        if (r.type() == null || r.type().isBlank()) throw invalid("type", "required");
        if (!NAME.matcher(r.type()).matches()) throw invalid("type", "1-100 letters, digits or _ . : -");
        String channel = r.channel() == null || r.channel().isBlank() ? DEFAULT_CHANNEL : r.channel();
        if (!NAME.matcher(channel).matches()) throw invalid("channel", "1-100 letters, digits or _ . : -");
        String title = optional("title", r.title(), 500);
        String message = optional("message", r.message(), 10_000);
        if (title == null && message == null) throw invalid("title", "a title, a message or a template is required");
        Priority priority = r.priority() == null || r.priority().isBlank() ? Priority.MEDIUM : Priority.parse(r.priority());
        String data = data(r.data());
        String actorId = optional("actorId", r.actorId(), 256);
        String entityType = optional("entityType", r.entityType(), 100);
        String entityId = optional("entityId", r.entityId(), 256);

        Instant scheduledAt = r.scheduledAt() == null ? null : r.scheduledAt().truncatedTo(ChronoUnit.MILLIS);
        if (scheduledAt != null && !scheduledAt.isAfter(now)) scheduledAt = null; // a past time means now
        Instant expiresAt = r.expiresAt() == null ? null : r.expiresAt().truncatedTo(ChronoUnit.MILLIS);
        if (expiresAt != null && !expiresAt.isAfter(now)) throw invalid("expiresAt", "must be in the future");
        if (expiresAt != null && scheduledAt != null && !expiresAt.isAfter(scheduledAt)) {
            throw invalid("expiresAt", "must be after scheduledAt");
        }
        Instant inboxTime = scheduledAt == null ? now : scheduledAt;
        NotificationStatus status = scheduledAt == null ? NotificationStatus.PENDING : NotificationStatus.SCHEDULED;

        List<Notification> rows = new ArrayList<>(recipients.size());
        for (String recipient : recipients) {
            rows.add(new Notification(ids.next(inboxTime), recipient, actorId, entityType, entityId, r.type(), title,
                    message, channel, priority, status, data, inboxTime, scheduledAt, null, null, expiresAt));
        }
        return rows;
    }

    private static List<String> recipients(List<String> given, int max) {
        if (given.isEmpty()) throw invalid("recipients", "at least one recipient is required");
        LinkedHashSet<String> distinct = new LinkedHashSet<>();
        for (String id : given) {
            if (id == null || id.isBlank()) throw invalid("recipients", "a recipient id is blank");
            if (id.length() > 256) throw invalid("recipients", "a recipient id is longer than 256 characters");
            distinct.add(id);
        }
        if (distinct.size() > max) throw invalid("recipients", "at most " + max + " recipients");
        return List.copyOf(distinct);
    }

    private static String data(JsonNode data) {
        if (data == null || data.isNull() || data.isMissingNode()) return "{}";
        if (!data.isObject()) throw invalid("data", "must be a JSON object");
        String text = NotificationPayload.write(data);
        if (text.getBytes(StandardCharsets.UTF_8).length > MAX_DATA_BYTES) {
            throw invalid("data", "at most " + MAX_DATA_BYTES + " bytes");
        }
        return text;
    }

    /**
     * The template reference, checked for shape: a key like a type, variables a JSON object, a
     * well-formed BCP 47 locale. Null when the request names no template.
     */
    static TemplateRef template(TemplateRef t) {
        if (t == null) return null;
        if (t.key() == null || !NAME.matcher(t.key()).matches()) throw invalid("template", "1-100 letters, digits or _ . : -");
        JsonNode variables = t.variables();
        if (variables != null && !variables.isNull() && !variables.isObject()) throw invalid("variables", "must be a JSON object");
        if (variables != null && NotificationPayload.write(variables).getBytes(StandardCharsets.UTF_8).length > MAX_DATA_BYTES) {
            throw invalid("variables", "at most " + MAX_DATA_BYTES + " bytes");
        }
        String locale = t.locale();
        if (locale != null) {
            if (locale.isBlank() || locale.length() > 35) throw invalid("locale", "a BCP 47 language tag such as fr-CA");
            try {
                new Locale.Builder().setLanguageTag(locale);
            } catch (IllformedLocaleException e) {
                throw invalid("locale", "a BCP 47 language tag such as fr-CA");
            }
        }
        return new TemplateRef(t.key(), variables == null || variables.isNull() ? null : variables, locale);
    }

    /** The idempotency key as stored: scoped by the caller so two services cannot collide. */
    static String scopedKey(CreateNotification r) {
        String key = r.idempotencyKey();
        if (key.length() > 255 || key.isBlank()) throw invalid("Idempotency-Key", "1-255 characters");
        String caller = r.caller() == null || r.caller().isBlank() ? "-" : r.caller();
        return caller + ":" + key;
    }

    /**
     * A digest of what the request asks for (not of the key or of time), so a key reused for a
     * different request is told apart from a retry.
     */
    static String fingerprint(CreateNotification r) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.putPOJO("recipients", r.recipients());
        o.put("type", r.type());
        o.put("title", r.title());
        o.put("message", r.message());
        o.put("channel", r.channel());
        o.put("priority", r.priority());
        o.set("data", r.data());
        o.put("actorId", r.actorId());
        o.put("entityType", r.entityType());
        o.put("entityId", r.entityId());
        o.put("scheduledAt", r.scheduledAt() == null ? null : r.scheduledAt().toString());
        o.put("expiresAt", r.expiresAt() == null ? null : r.expiresAt().toString());
        // Only what is set, so a key stored before routing existed still matches its retry.
        if (r.routing().channels() != null) o.putPOJO("channels", r.routing().channels());
        if (r.routing().fallback() != null) o.put("fallback", r.routing().fallback());
        if (r.routing().escalate() != null) {
            o.putObject("escalate").put("channel", r.routing().escalate().channel())
                    .put("afterSeconds", r.routing().escalate().afterSeconds());
        }
        if (r.template() != null) {
            o.putObject("template").put("key", r.template().key()).put("locale", r.template().locale())
                    .set("variables", r.template().variables());
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(NotificationPayload.write(o).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
