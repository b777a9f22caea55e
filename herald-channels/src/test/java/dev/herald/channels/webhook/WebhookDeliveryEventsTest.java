package dev.herald.channels.webhook;

import static dev.herald.channels.testing.WebhookReceiver.Answer.hang;
import static dev.herald.channels.testing.WebhookReceiver.Answer.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.channels.testing.WebhookReceiver;
import dev.herald.core.Json;
import dev.herald.core.deliver.dispatch.StatusEvent;
import dev.herald.core.notification.Channel;
import dev.herald.core.notification.DeliveryStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class WebhookDeliveryEventsTest {
    private static final Instant AT = Instant.parse("2026-03-10T08:00:00Z");
    private static final List<Duration> QUICK_RETRIES = List.of(Duration.ofMillis(10), Duration.ofMillis(10));

    private final WebhookReceiver receiver = WebhookReceiver.start(WebhookSenderTest.SECRET);
    private WebhookHttp http;
    private WebhookDeliveryEvents events;

    @AfterEach
    void close() {
        if (events != null) events.close();
        if (http != null) http.close();
        receiver.close();
    }

    private WebhookDeliveryEvents start(WebhookDeliveryEvents.Options options, Duration requestTimeout) {
        var config = WebhookConfig.of(SigningSecret.parse(WebhookSenderTest.SECRET)).withRequestTimeout(requestTimeout);
        http = WebhookHttp.open(config, Clock.systemUTC());
        events = WebhookDeliveryEvents.start(http, receiver.uri(), options);
        return events;
    }

    private WebhookDeliveryEvents start() {
        return start(new WebhookDeliveryEvents.Options(100, 4, QUICK_RETRIES, Duration.ofSeconds(5)), Duration.ofSeconds(10));
    }

    private static StatusEvent dead(String notificationId) {
        return new StatusEvent("d-" + notificationId, notificationId, "u1", Channel.WEBHOOK, DeliveryStatus.DEAD,
                "http 503", 8, AT);
    }

    private static JsonNode json(WebhookReceiver.Received received) {
        return Json.parse(received.body(), "callback");
    }

    @Test
    void postsEachStatusEventSignedWithItsFields() {
        start().statusChanged(dead("n1"));

        await().until(() -> receiver.received().size() == 1);
        assertThat(receiver.rejected()).isZero();
        assertThat(json(receiver.received().get(0))).isEqualTo(Json.parse("""
                {"type":"delivery.dead","deliveryId":"d-n1","notificationId":"n1","recipientId":"u1",
                 "channel":"webhook","status":"dead","reason":"http 503","attempt":8,"at":"2026-03-10T08:00:00Z"}""", "expected"));
    }

    @Test
    void leavesOutWhatAReceiptDoesNotHave() {
        start().statusChanged(new StatusEvent(null, "n1", "u1", Channel.IN_APP, DeliveryStatus.READ, null, null, AT));

        await().until(() -> receiver.received().size() == 1);
        JsonNode body = json(receiver.received().get(0));
        assertThat(body.get("type").asText()).isEqualTo("delivery.read");
        assertThat(body.has("deliveryId") || body.has("reason") || body.has("attempt")).isFalse();
    }

    @Test
    void retriesACallbackThatGotA503WithTheSameWebhookId() {
        receiver.respond(status(503), status(200));

        start().statusChanged(dead("n1"));

        await().until(() -> events.delivered() == 1);
        List<WebhookReceiver.Received> got = receiver.received();
        assertThat(got).hasSize(2);
        assertThat(got.get(1).id()).isEqualTo(got.get(0).id());
    }

    @Test
    void abandonsACallbackAfterTheLastRetryAndCountsIt() {
        receiver.respond(status(500));

        start().statusChanged(dead("n1"));

        await().until(() -> events.abandoned() == 1);
        assertThat(receiver.count(receiver.received().get(0).id())).isEqualTo(1 + QUICK_RETRIES.size());
    }

    @Test
    @Timeout(60) // a safety net: the calls below return at once, or the port is broken
    void neverBlocksTheCallerWhileTheBackendHangs() {
        receiver.respond(hang());
        start(new WebhookDeliveryEvents.Options(4, 1, QUICK_RETRIES, Duration.ZERO), Duration.ofSeconds(30));

        for (int i = 0; i < 1000; i++) events.statusChanged(dead("n" + i));

        // 1000 heard, at most 4 queued and 1 in flight: the rest went, oldest first.
        assertThat(events.dropped()).isGreaterThanOrEqualTo(1000 - 4 - 1);
    }

    @Test
    void dropsTheOldestEventsWhenTheQueueIsFull() {
        receiver.respond(hang());
        // n1's first attempt hangs until the request timeout, its retry gets the 200: the timeout must
        // outlast the ten calls below even on a loaded machine, or n1 runs out of retries first.
        start(new WebhookDeliveryEvents.Options(3, 1, QUICK_RETRIES, Duration.ofSeconds(5)), Duration.ofSeconds(2));
        events.statusChanged(dead("n1"));
        await().until(() -> receiver.received().size() == 1); // n1 is in flight, hanging

        for (int i = 2; i <= 10; i++) events.statusChanged(dead("n" + i));
        receiver.respond(status(200));

        assertThat(events.dropped()).isEqualTo(6);
        await().until(() -> events.delivered() == 4);
        assertThat(receiver.received().stream().filter(r -> r.answer().status() == 200)
                .map(r -> json(r).get("notificationId").asText()))
                .containsExactly("n1", "n8", "n9", "n10");
    }
}
