package dev.herald.channels.webhook;

import dev.herald.core.deliver.dispatch.ChannelSender;
import dev.herald.core.deliver.dispatch.OutboundMessage;
import dev.herald.core.deliver.dispatch.SendResult;
import dev.herald.core.notification.Channel;
import java.net.URI;

/**
 * The webhook channel: POSTs the notification's JSON to the user's own URL (a Slack or Discord
 * incoming webhook, their own service), signed as Standard Webhooks says, with the delivery id as
 * {@code webhook-id} so every retry of one delivery carries the same id. The URL is checked again
 * here ({@link WebhookUrls}): one that is no longer allowed fails at once, without a call.
 * Thread-safe; {@link #send} blocks for at most about the connect plus the request timeout.
 */
public final class WebhookSender implements ChannelSender {
    private final WebhookHttp http;
    private final boolean allowHttpLoopback;

    public WebhookSender(WebhookHttp http, WebhookConfig config) {
        this.http = http;
        this.allowHttpLoopback = config.allowHttpLoopback();
    }

    @Override
    public Channel channel() {
        return Channel.WEBHOOK;
    }

    @Override
    public String provider() {
        return "webhook";
    }

    @Override
    public SendResult send(OutboundMessage message) {
        String url = message.contact().webhookUrl();
        String refusal = WebhookUrls.refusal(url, allowHttpLoopback);
        if (refusal != null) return new SendResult.Failed("webhook url refused: " + refusal);
        // Standard Webhooks forbids a '.' in the id (it would blur the signed content); core's ids are UUIDs.
        if (message.deliveryId().indexOf('.') >= 0) return new SendResult.Failed("delivery id holds a '.'");
        return http.post(URI.create(url), message.deliveryId(), message.content().json());
    }
}
