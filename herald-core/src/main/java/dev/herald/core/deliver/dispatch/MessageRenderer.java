package dev.herald.core.deliver.dispatch;

import dev.herald.core.notification.Channel;
import dev.herald.core.notification.Contact;
import dev.herald.core.notification.Delivery;
import java.util.List;

/**
 * Turns outbox rows into the content a sender sends: one row, or the rows of one digest. Herald's
 * template renderer (herald-channels) implements it with the user's locale; {@link PlainRenderer}
 * uses the notification's own title and message. Threading: thread-safe, called on sending threads
 * (virtual threads: it may read the store).
 *
 * <p>A template that cannot be rendered throws {@link dev.herald.core.template.RenderFailure}: the
 * dispatcher fails the delivery with reason {@code template_error} (retrying would render the
 * same thing), rather than retrying it for ever.
 */
public interface MessageRenderer {
    /**
     * @param deliveries one row, or every row of one digest (same recipient, channel and window),
     *     oldest first
     */
    OutboundMessage.Content render(Channel channel, List<Delivery> deliveries, Contact contact);
}
