package dev.herald.server;

import dev.herald.channels.webhook.WebhookConfig;
import dev.herald.channels.webhook.WebhookDeliveryEvents;
import dev.herald.channels.webhook.WebhookHttp;
import dev.herald.channels.webhook.WebhookSender;
import dev.herald.core.deliver.dispatch.ChannelSender;
import dev.herald.core.deliver.dispatch.DeliveryEvents;
import dev.herald.server.config.HeraldConfig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Builds a sender for every configured out-of-app channel, one method per channel, so the
 * composition root only asks for the list. What a sender opens (an HTTP client, a mail session) is
 * pushed on the root's close order, so it closes after the dispatcher that uses it.
 */
final class ChannelWiring {
    private final HeraldConfig config;
    private final Clock clock;
    private final Deque<AutoCloseable> closeOrder;
    private final List<ChannelSender> senders = new ArrayList<>();
    private DeliveryEvents callbacks = DeliveryEvents.none();

    ChannelWiring(HeraldConfig config, Clock clock, Deque<AutoCloseable> closeOrder) {
        this.config = config;
        this.clock = clock;
        this.closeOrder = closeOrder;
        webhook();
    }

    /** Every configured channel's sender. */
    List<ChannelSender> senders() {
        return List.copyOf(senders);
    }

    /** The backend's signed status callbacks ({@code DELIVERY_WEBHOOK_URL}), or none. */
    DeliveryEvents callbacks() {
        return callbacks;
    }

    private void webhook() {
        if (config.delivery().webhook().isEmpty()) return;
        WebhookConfig webhook = config.delivery().webhook().get();
        WebhookHttp http = WebhookHttp.open(webhook, clock);
        closeOrder.push(http);
        senders.add(new WebhookSender(http, webhook));
        if (webhook.deliveryWebhookUrl().isPresent()) {
            WebhookDeliveryEvents events = WebhookDeliveryEvents.start(http, webhook.deliveryWebhookUrl().get(),
                    WebhookDeliveryEvents.Options.defaults());
            closeOrder.push(events);
            callbacks = events;
        }
    }
}
