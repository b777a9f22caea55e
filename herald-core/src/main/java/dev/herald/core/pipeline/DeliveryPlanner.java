package dev.herald.core.pipeline;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.notification.Channel;
import dev.herald.core.notification.Contact;
import dev.herald.core.notification.CreateNotification.TemplateRef;
import dev.herald.core.notification.Delivery;
import dev.herald.core.notification.DeliveryStatus;
import dev.herald.core.notification.Notification;
import dev.herald.core.notification.NotificationIds;
import dev.herald.core.notification.NotificationPayload;
import dev.herald.core.notification.Preferences;
import dev.herald.core.notification.Priority;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides, for one recipient, what each channel of a notification does — the preference filter of
 * DESIGN §5 on one screen:
 * <ol>
 *   <li>a channel the user switched off (globally or for the type) is skipped with the switch as
 *       the reason; only {@code urgent} passes a switched-off {@code inApp};
 *   <li>an out-of-app channel the user has no address for is skipped ({@code no_address});
 *   <li>{@code urgent} goes now; otherwise a digest rule holds it for the next window, and quiet
 *       hours hold it until they end.
 * </ol>
 * In-app is the inbox itself: never held (the inbox is the record; quiet hours and digests silence
 * interruptions, not the list), and no outbox row unless it is skipped, to say why.
 */
final class DeliveryPlanner {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final NotificationIds ids;

    DeliveryPlanner(NotificationIds ids) {
        this.ids = ids;
    }

    /** What one recipient gets: whether the inbox row is written, and the outbox rows. */
    record Plan(boolean inbox, List<Delivery> deliveries) {}

    /**
     * @param row the inbox row this recipient would get (its id is the notification id)
     * @param sendAt when it may go out: now, or its scheduled time
     */
    Plan plan(Notification row, RoutingRequest routing, Preferences prefs, Contact contact, TemplateRef template,
              Instant sendAt, Instant now) {
        boolean urgent = row.priority() == Priority.URGENT;
        boolean inApp = routing.channels().contains(Channel.IN_APP);
        boolean inbox = inApp && (urgent || prefs.allows(row.type(), Channel.IN_APP));
        boolean outOfApp = routing.fallback() != null || routing.escalateTo() != null
                || routing.channels().stream().anyMatch(Channel::dispatched);
        // The common create (in-app only, allowed) has no outbox row: no payload to serialise.
        if (inbox && !outOfApp) return new Plan(true, List.of());
        String payload = payload(row, template);
        List<Delivery> out = new ArrayList<>();
        if (inApp) {
            if (!inbox) out.add(skipped(row, Channel.IN_APP, Delivery.Kind.STANDARD, prefs.refusal(row.type(), Channel.IN_APP), payload, sendAt, now));
        }
        for (Channel channel : routing.channels()) {
            if (channel.dispatched()) out.add(decide(row, channel, Delivery.Kind.STANDARD, prefs, contact, payload, sendAt, now));
        }
        if (routing.fallback() != null) {
            out.add(decide(row, routing.fallback(), Delivery.Kind.FALLBACK, prefs, contact, payload, sendAt, now));
        }
        if (routing.escalateTo() != null) {
            out.add(decide(row, routing.escalateTo(), Delivery.Kind.ESCALATION, prefs, contact, payload,
                    sendAt.plus(routing.escalateAfter()), now));
        }
        return new Plan(inbox, out);
    }

    private Delivery decide(Notification row, Channel channel, Delivery.Kind kind, Preferences prefs, Contact contact,
                            String payload, Instant sendAt, Instant now) {
        if (!prefs.allows(row.type(), channel)) return skipped(row, channel, kind, prefs.refusal(row.type(), channel), payload, sendAt, now);
        if (channel != Channel.PUSH && contact.addressFor(channel) == null) return skipped(row, channel, kind, "no_address", payload, sendAt, now);
        if (row.priority() == Priority.URGENT) return waiting(row, channel, kind, null, DeliveryStatus.PENDING, null, payload, sendAt, now);
        Preferences.DigestRule rule = prefs.digestFor(row.type());
        if (!rule.instant()) {
            DeliveryTimes.Window window = DeliveryTimes.nextWindow(rule, zoneOf(prefs, contact), sendAt);
            return waiting(row, channel, kind, window.key(), DeliveryStatus.HELD, "digest", payload, window.dueAt(), now);
        }
        Instant quietEnd = DeliveryTimes.quietHoursEnd(prefs.quietHours(), sendAt);
        if (quietEnd != null) return waiting(row, channel, kind, null, DeliveryStatus.HELD, "quiet_hours", payload, quietEnd, now);
        return waiting(row, channel, kind, null, DeliveryStatus.PENDING, null, payload, sendAt, now);
    }

    /** Digests are at the user's local time: the contact's zone, else the quiet hours' zone, else UTC. */
    static ZoneId zoneOf(Preferences prefs, Contact contact) {
        if (contact.timezone() != null) return contact.timezone();
        if (prefs.quietHours() != null) return prefs.quietHours().zone();
        return ZoneOffset.UTC;
    }

    private Delivery waiting(Notification row, Channel channel, Delivery.Kind kind, String digestKey, DeliveryStatus status,
                             String reason, String payload, Instant dueAt, Instant now) {
        Delivery.Target target = new Delivery.Target(row.id(), row.recipientId(), row.type(), channel, row.priority(), kind, digestKey);
        return new Delivery(ids.next(now), target, new Delivery.State(status, reason, 0, dueAt, null, now), payload, now);
    }

    private Delivery skipped(Notification row, Channel channel, Delivery.Kind kind, String reason, String payload,
                             Instant sendAt, Instant now) {
        return waiting(row, channel, kind, null, DeliveryStatus.SKIPPED, reason, payload, sendAt, now);
    }

    /** What the dispatcher renders from: the client shape of the notification and the template, if any. */
    static String payload(Notification row, TemplateRef template) {
        ObjectNode o = NODES.objectNode();
        o.set("notification", NotificationPayload.toNode(row));
        if (row.expiresAt() != null) o.put("expiresAt", row.expiresAt().toString());
        if (template != null) {
            ObjectNode t = o.putObject("template").put("key", template.key());
            if (template.variables() != null) t.set("variables", template.variables());
            if (template.locale() != null) t.put("locale", template.locale());
            if (template.version() != null) t.put("version", template.version());
        }
        return NotificationPayload.write(o);
    }
}
