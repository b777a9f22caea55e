package dev.herald.server;

import dev.herald.channels.email.SmtpEmailSender;
import dev.herald.channels.sms.TwilioSmsSender;
import dev.herald.channels.webhook.WebhookConfig;
import dev.herald.channels.webhook.WebhookDeliveryEvents;
import dev.herald.channels.webhook.WebhookHttp;
import dev.herald.channels.webhook.WebhookSender;
import dev.herald.core.deliver.dispatch.ChannelSender;
import dev.herald.core.deliver.dispatch.DeliveryEvents;
import dev.herald.core.inbox.UnsubscribeLinks;
import dev.herald.server.config.ChannelSettings;
import dev.herald.server.config.DevSecret;
import dev.herald.server.config.HeraldConfig;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

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
    private final Optional<UnsubscribeLinks> unsubscribe;

    ChannelWiring(HeraldConfig config, Clock clock, Deque<AutoCloseable> closeOrder) {
        this.config = config;
        this.clock = clock;
        this.closeOrder = closeOrder;
        this.unsubscribe = unsubscribeLinks(config);
        webhook();
        email();
        sms();
    }

    /** The one-click unsubscribe links email carries and the REST route verifies; empty without HERALD_PUBLIC_URL. */
    Optional<UnsubscribeLinks> unsubscribeLinks() {
        return unsubscribe;
    }

    /** Every configured channel's sender. */
    List<ChannelSender> senders() {
        return List.copyOf(senders);
    }

    /** The backend's signed status callbacks ({@code DELIVERY_WEBHOOK_URL}), or none. */
    DeliveryEvents callbacks() {
        return callbacks;
    }

    private void email() {
        config.channels().email().ifPresent(email -> {
            SmtpEmailSender sender = new SmtpEmailSender(email, unsubscribe, clock);
            closeOrder.push(sender);
            senders.add(sender);
        });
    }

    private void sms() {
        config.channels().sms().ifPresent(sms -> {
            TwilioSmsSender sender = new TwilioSmsSender(sms, clock);
            closeOrder.push(sender);
            senders.add(sender);
        });
    }

    /**
     * UNSUBSCRIBE_SECRET, else a key derived from the JWT HS256 secret (so nodes sharing JWT_SECRET
     * make links every node accepts, and a link never reveals the JWT secret itself).
     */
    private static Optional<UnsubscribeLinks> unsubscribeLinks(HeraldConfig config) {
        ChannelSettings channels = config.channels();
        if (channels.publicUrl().isEmpty()) return Optional.empty();
        byte[] key = channels.unsubscribeSecret().map(s -> s.value().getBytes(StandardCharsets.UTF_8))
                .orElseGet(() -> derive(DevSecret.resolve(config.auth(), config.storage().dataDir())));
        return Optional.of(new UnsubscribeLinks(channels.publicUrl().get(), key));
    }

    private static byte[] derive(byte[] jwtSecret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(jwtSecret, "HmacSHA256"));
            return mac.doFinal("herald unsubscribe links".getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
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
