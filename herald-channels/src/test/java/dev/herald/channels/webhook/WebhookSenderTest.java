package dev.herald.channels.webhook;

import static dev.herald.channels.testing.WebhookReceiver.Answer.hang;
import static dev.herald.channels.testing.WebhookReceiver.Answer.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.channels.testing.WebhookReceiver;
import dev.herald.core.deliver.dispatch.OutboundMessage;
import dev.herald.core.deliver.dispatch.SendResult;
import dev.herald.core.notification.Channel;
import dev.herald.core.notification.Contact;
import dev.herald.core.notification.Delivery;
import dev.herald.core.notification.Priority;
import dev.herald.core.testing.MutableClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebhookSenderTest {
    static final String SECRET = "whsec_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=";
    static final String OTHER_SECRET = "whsec_ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoM=";
    static final String JSON = "{\"id\":\"n1\",\"type\":\"comment\",\"title\":\"Hi\",\"message\":\"Ada replied\"}";

    private final MutableClock clock = MutableClock.at("2026-03-10T08:00:00Z");
    private final WebhookReceiver receiver = WebhookReceiver.start(SECRET, clock);
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : opened) c.close();
        receiver.close();
    }

    private WebhookSender sender(WebhookConfig config) {
        WebhookHttp http = WebhookHttp.open(config, clock);
        opened.add(http);
        return new WebhookSender(http, config);
    }

    private WebhookSender sender() {
        return sender(WebhookConfig.of(SigningSecret.parse(SECRET)).withAllowHttpLoopback(true));
    }

    static OutboundMessage message(String deliveryId, int attempt, String url) {
        var target = new Delivery.Target("n1", "u1", "comment", Channel.WEBHOOK, Priority.MEDIUM, Delivery.Kind.STANDARD, null);
        var contact = new Contact("u1", null, null, null, null, url);
        return new OutboundMessage(deliveryId, target, attempt, contact, new OutboundMessage.Content("Hi", "Ada replied", null, JSON));
    }

    @Test
    void postsTheJsonSignedAsStandardWebhooksSay() {
        SendResult result = sender().send(message("d-1", 1, receiver.url()));

        assertThat(result).isInstanceOf(SendResult.Sent.class);
        assertThat(receiver.rejected()).isZero();
        var got = receiver.received().get(0);
        assertThat(got.id()).isEqualTo("d-1");
        assertThat(got.body()).isEqualTo(JSON);
        assertThat(got.timestamp()).isEqualTo(clock.instant().getEpochSecond());
        assertThat(got.header("content-type")).isEqualTo("application/json");
        assertThat(got.header("user-agent")).startsWith("Herald/");
    }

    @Test
    void isRefusedByTheReceiverWhenSignedWithAnotherSecret() {
        var config = WebhookConfig.of(SigningSecret.parse(OTHER_SECRET)).withAllowHttpLoopback(true);

        SendResult result = sender(config).send(message("d-1", 1, receiver.url()));

        assertThat(result).isEqualTo(new SendResult.Failed("http 401"));
        assertThat(receiver.rejected()).isEqualTo(1);
    }

    @Test
    void isRefusedByTheReceiverWhenItsTimestampIsStale() {
        try (var later = WebhookReceiver.start(SECRET, MutableClock.at("2026-03-10T08:06:00Z"))) {
            SendResult result = sender().send(message("d-1", 1, later.url()));

            assertThat(result).isEqualTo(new SendResult.Failed("http 401"));
            assertThat(later.rejected()).isEqualTo(1);
        }
    }

    @Test
    void keepsTheSameWebhookIdAcrossRetriesOfOneDelivery() {
        receiver.respond(status(503), status(503), status(200));
        WebhookSender sender = sender();

        List<SendResult> results = List.of(sender.send(message("d-7", 1, receiver.url())),
                sender.send(message("d-7", 2, receiver.url())), sender.send(message("d-7", 3, receiver.url())));

        assertThat(results).containsExactly(new SendResult.Retry("http 503", null), new SendResult.Retry("http 503", null),
                new SendResult.Sent(null));
        assertThat(receiver.received()).extracting(WebhookReceiver.Received::id).containsExactly("d-7", "d-7", "d-7");
    }

    @Test
    void answersRetryToA503() {
        receiver.respond(status(503));

        assertThat(sender().send(message("d-1", 1, receiver.url()))).isEqualTo(new SendResult.Retry("http 503", null));
    }

    @Test
    void answersRetryWithTheHintToA429WithRetryAfterSeconds() {
        receiver.respond(status(429).retryAfter("7"));

        assertThat(sender().send(message("d-1", 1, receiver.url())))
                .isEqualTo(new SendResult.Retry("http 429", Duration.ofSeconds(7)));
    }

    @Test
    void readsARetryAfterGivenAsAnHttpDate() {
        receiver.respond(status(503).retryAfter("Tue, 10 Mar 2026 08:02:00 GMT"));

        assertThat(sender().send(message("d-1", 1, receiver.url())))
                .isEqualTo(new SendResult.Retry("http 503", Duration.ofMinutes(2)));
    }

    @Test
    void answersFailedToA410() {
        receiver.respond(status(410));

        assertThat(sender().send(message("d-1", 1, receiver.url()))).isEqualTo(new SendResult.Failed("http 410"));
    }

    @Test
    void answersFailedToA400() {
        receiver.respond(status(400));

        assertThat(sender().send(message("d-1", 1, receiver.url()))).isEqualTo(new SendResult.Failed("http 400"));
    }

    @Test
    void answersFailedToARedirectWithoutFollowingIt() {
        receiver.respond(status(307).header("Location", receiver.url() + "/elsewhere"));

        SendResult result = sender().send(message("d-1", 1, receiver.url()));

        assertThat(result).isInstanceOf(SendResult.Failed.class);
        assertThat(((SendResult.Failed) result).reason()).startsWith("http 307: redirects are not followed");
        assertThat(receiver.count("d-1")).isEqualTo(1);
    }

    @Test
    void answersRetryWhenTheEndpointDoesNotAnswerInTime() {
        receiver.respond(hang());
        var config = WebhookConfig.of(SigningSecret.parse(SECRET)).withAllowHttpLoopback(true)
                .withRequestTimeout(Duration.ofMillis(300));

        assertThat(sender(config).send(message("d-1", 1, receiver.url())))
                .isEqualTo(new SendResult.Retry("timeout after 300ms", null));
    }

    @Test
    void answersRetryWhenTheConnectionIsRefused() throws IOException {
        int closedPort;
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        assertThat(sender().send(message("d-1", 1, "http://127.0.0.1:" + closedPort + "/hook")))
                .isEqualTo(new SendResult.Retry("connection refused", null));
    }

    @Test
    void refusesHttpToLoopbackUnlessAllowedWithoutCalling() {
        var httpsOnly = WebhookConfig.of(SigningSecret.parse(SECRET));

        SendResult result = sender(httpsOnly).send(message("d-1", 1, receiver.url()));

        assertThat(result).isInstanceOf(SendResult.Failed.class);
        assertThat(((SendResult.Failed) result).reason()).startsWith("webhook url refused: http is refused");
        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void refusesHttpToANonLoopbackHostEvenWhenHttpIsAllowed() {
        SendResult result = sender().send(message("d-1", 1, "http://example.com/hook"));

        assertThat(result).isEqualTo(new SendResult.Failed("webhook url refused: http is allowed to a loopback address only"));
    }

    @Test
    void failsARecipientWithoutAWebhookUrl() {
        assertThat(sender().send(message("d-1", 1, null))).isEqualTo(new SendResult.Failed("webhook url refused: no webhook url"));
    }
}
