package dev.herald.channels.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.Json;
import dev.herald.core.deliver.dispatch.MessageRenderer;
import dev.herald.core.deliver.dispatch.OutboundMessage;
import dev.herald.core.notification.Channel;
import dev.herald.core.notification.Contact;
import dev.herald.core.notification.Delivery;
import dev.herald.core.template.RenderFailure;
import dev.herald.core.template.Template;
import dev.herald.core.template.TemplateRenderer;
import dev.herald.core.template.Templates;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The dispatcher's renderer when templates exist (DESIGN §5): a notification created with a
 * template renders that template's variant for the channel, at the revision the notification
 * recorded, in the recipient's language (the contact's locale, else the create's, falling back
 * {@code fr-CA → fr → default}); a digest renders the current {@value #DIGEST} template with
 * {@code count} and {@code notifications}. Everything else, and a digest when no {@value #DIGEST}
 * variant exists for the channel, is left to {@code plain}. The JSON shape is always plain's.
 *
 * <p>Threading: thread-safe; reads the store (virtual threads).
 */
public final class TemplateMessageRenderer implements MessageRenderer {
    public static final String DIGEST = "digest";

    private final Templates templates;
    private final MessageRenderer plain;

    public TemplateMessageRenderer(Templates templates, MessageRenderer plain) {
        this.templates = Objects.requireNonNull(templates, "templates");
        this.plain = Objects.requireNonNull(plain, "plain");
    }

    @Override
    public OutboundMessage.Content render(Channel channel, List<Delivery> deliveries, Contact contact) {
        OutboundMessage.Content base = plain.render(channel, deliveries, contact);
        if (deliveries.size() == 1 && deliveries.getFirst().target().digestKey() == null) {
            JsonNode ref = Json.parse(deliveries.getFirst().payload(), "delivery payload").path("template");
            if (!ref.isObject()) return base;
            return single(channel, ref, contact, base);
        }
        return digest(channel, deliveries, contact, base);
    }

    private OutboundMessage.Content single(Channel channel, JsonNode ref, Contact contact, OutboundMessage.Content base) {
        String key = ref.path("key").asText();
        long revision = ref.path("version").canConvertToLong() ? ref.path("version").asLong() : Long.MAX_VALUE;
        String createLocale = ref.path("locale").isTextual() ? ref.path("locale").asText() : null;
        Template t = templates.resolve(key, channel, revision, contact.locale(), createLocale)
                // The create was checked against this revision, so only a deleted-and-purged history lands here.
                .orElseThrow(() -> new RenderFailure("template '" + key + "' has no " + channel.wire()
                        + " variant at version " + revision, null));
        TemplateRenderer.Rendered r = templates.render(t, ref.path("variables"), contact.locale(), createLocale);
        return new OutboundMessage.Content(r.subject(), r.body(), r.html(), base.json());
    }

    private OutboundMessage.Content digest(Channel channel, List<Delivery> deliveries, Contact contact,
                                           OutboundMessage.Content base) {
        Optional<Template> t = templates.resolve(DIGEST, channel, Long.MAX_VALUE, contact.locale());
        if (t.isEmpty()) return base;
        ObjectNode variables = Json.object().put("count", deliveries.size());
        ArrayNode list = variables.putArray("notifications");
        for (Delivery d : deliveries) list.add(Json.parse(d.payload(), "delivery payload").path("notification"));
        TemplateRenderer.Rendered r = templates.render(t.get(), variables, contact.locale());
        return new OutboundMessage.Content(r.subject(), r.body(), r.html(), base.json());
    }
}
