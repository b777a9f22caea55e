package dev.herald.core.deliver.dispatch;

import dev.herald.core.notification.Contact;
import dev.herald.core.notification.Delivery;
import java.util.Objects;

/**
 * One message to send: which delivery it is (its id is stable across retries, so receivers can
 * dedupe: the webhook sender uses it as {@code webhook-id}), which attempt, to whom, and the content.
 *
 * @param attempt 1 for the first try
 * @param contact the recipient's addresses at dispatch time
 */
public record OutboundMessage(String deliveryId, Delivery.Target target, int attempt, Contact contact,
                              Content content) {
    public OutboundMessage {
        Objects.requireNonNull(deliveryId, "deliveryId");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(contact, "contact");
        Objects.requireNonNull(content, "content");
    }

    /**
     * The rendered content. {@code json} is the machine shape: the notification as clients see it
     * ({@code id, type, title, message, channel, priority, timestamp, data}), or for a digest
     * {@code {"type":"digest","count":n,"notifications":[…]}}; {@code subject}, {@code text} and
     * {@code html} (may be null) are the human shapes a template renders.
     */
    public record Content(String subject, String text, String html, String json) {
        public Content {
            Objects.requireNonNull(json, "json");
            subject = subject == null ? "" : subject;
            text = text == null ? "" : text;
        }
    }
}
