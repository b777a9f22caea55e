package dev.herald.channels.push.webpush;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.channels.push.DeviceResult;
import dev.herald.channels.push.PushHttp;
import dev.herald.channels.push.PushMessage;
import dev.herald.channels.push.PushTesting;
import dev.herald.channels.testing.PushAnswer;
import dev.herald.channels.testing.PushService;
import dev.herald.core.notification.Device;
import dev.herald.core.notification.Priority;
import dev.herald.core.testing.MutableClock;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebPushSenderTest {
    private final MutableClock clock = MutableClock.at("2026-03-10T08:00:00Z");
    private final KeyPair vapid = PushTesting.p256KeyPair();
    private final PushService service = PushService.start(P256.encode((ECPublicKey) vapid.getPublic()), clock);
    private final PushHttp http = PushHttp.open(clock);
    private final WebPushSender sender = new WebPushSender(WebPushConfig.read(env(vapid)::get).orElseThrow(), http);

    @AfterEach
    void close() {
        http.close();
        service.close();
    }

    static Map<String, String> env(KeyPair keys) {
        Map<String, String> env = new HashMap<>();
        env.put("VAPID_PUBLIC_KEY", WebPushSender.base64Url(P256.encode((ECPublicKey) keys.getPublic())));
        env.put("VAPID_PRIVATE_KEY", WebPushSender.base64Url(P256.encode((ECPrivateKey) keys.getPrivate())));
        env.put("VAPID_SUBJECT", "mailto:ops@example.com");
        return env;
    }

    private static Device device(PushService.Subscription s) {
        return new Device("dev-" + s.id(), "u1", Device.Platform.WEBPUSH, s.endpoint(), s.p256dh(), s.auth(), Instant.EPOCH);
    }

    @Test
    void thePushServiceDecryptsThePayloadWithTheSubscriptionsKeysAndAcceptsTheVapidToken() throws Exception {
        PushService.Subscription browser = service.subscribe();

        DeviceResult result = sender.send(device(browser), PushTesting.push("del-1"));

        assertThat(result).isInstanceOf(DeviceResult.Sent.class);
        assertThat(((DeviceResult.Sent) result).providerId()).startsWith(service.origin() + "/message/");
        assertThat(service.refused()).isZero();
        PushService.Received got = service.received().getFirst();
        JsonNode payload = new ObjectMapper().readTree(got.plaintext());
        assertThat(payload.path("title").asText()).isEqualTo("New reply");
        assertThat(payload.path("body").asText()).isEqualTo("Ada replied to your post");
        assertThat(payload.path("data").path("data").path("postId").asInt()).isEqualTo(42);
        assertThat(got.ttl()).isEqualTo("86400");
        assertThat(got.urgency()).isEqualTo("high");
        assertThat(got.vapidSubject()).isEqualTo("mailto:ops@example.com");
    }

    @Test
    void eachPushIsEncryptedAfreshAndLowPriorityIsLowUrgency() {
        PushService.Subscription browser = service.subscribe();
        PushMessage low = new PushMessage("del-2", Priority.LOW, "t", "b", null);

        sender.send(device(browser), low);
        sender.send(device(browser), low);

        assertThat(service.received()).hasSize(2).allSatisfy(r -> assertThat(r.urgency()).isEqualTo("low"));
        assertThat(service.received().get(0).plaintext()).isEqualTo(service.received().get(1).plaintext());
    }

    @Test
    void anExpiredOrRevokedSubscriptionIsGone() {
        PushService.Subscription expired = service.subscribe();
        PushService.Subscription revoked = service.subscribe();
        service.respond(expired, PushAnswer.status(410)).respond(revoked, PushAnswer.status(404));

        assertThat(sender.send(device(expired), PushTesting.push("d"))).isEqualTo(new DeviceResult.Gone("http 410"));
        assertThat(sender.send(device(revoked), PushTesting.push("d"))).isEqualTo(new DeviceResult.Gone("http 404"));
    }

    @Test
    void aBusyPushServiceRetriesAfterItsHintAndARefusalFails() {
        PushService.Subscription busy = service.subscribe();
        PushService.Subscription tooBig = service.subscribe();
        service.respond(busy, PushAnswer.status(429).retryAfter("120")).respond(tooBig, PushAnswer.status(413));

        assertThat(sender.send(device(busy), PushTesting.push("d"))).isEqualTo(new DeviceResult.Retry("http 429", Duration.ofSeconds(120)));
        assertThat(sender.send(device(tooBig), PushTesting.push("d"))).isEqualTo(new DeviceResult.Failed("http 413"));
    }

    @Test
    void aVapidKeyThePushServiceDoesNotKnowIsRefused() {
        WebPushSender stranger = new WebPushSender(WebPushConfig.read(env(PushTesting.p256KeyPair())::get).orElseThrow(), http);

        assertThat(stranger.send(device(service.subscribe()), PushTesting.push("d"))).isEqualTo(new DeviceResult.Failed("http 401"));
        assertThat(service.refused()).isEqualTo(1);
        assertThat(service.received()).isEmpty();
    }

    @Test
    void aPayloadTooLargeForAPushServiceHasItsDataCutDownFirst() throws Exception {
        var data = new ObjectMapper().createObjectNode().put("id", "n9").put("blob", "x".repeat(5000));
        PushMessage big = new PushMessage("del-3", Priority.MEDIUM, "Title", "Body", data);

        assertThat(sender.send(device(service.subscribe()), big)).isInstanceOf(DeviceResult.Sent.class);
        assertThat(new ObjectMapper().readTree(service.received().getFirst().plaintext()).path("data").toString()).isEqualTo("{\"id\":\"n9\"}");
        assertThat(sender.send(device(service.subscribe()), new PushMessage("d", Priority.MEDIUM, "x".repeat(5000), "", null)))
                .isEqualTo(new DeviceResult.Failed("payload too large for web push (5032 bytes)"));
    }

    @Test
    void theSettingsTakeAllThreeVariablesAndAMatchingPair() {
        Map<String, String> env = env(vapid);
        assertThat(WebPushConfig.read(env::get).orElseThrow().toString()).doesNotContain(env.get("VAPID_PRIVATE_KEY"));
        assertThat(WebPushConfig.read(Map.<String, String>of()::get)).isEmpty();

        env.put("VAPID_PRIVATE_KEY", env(PushTesting.p256KeyPair()).get("VAPID_PRIVATE_KEY"));
        assertThatThrownBy(() -> WebPushConfig.read(env::get)).hasMessage("VAPID_PRIVATE_KEY is not the private key of VAPID_PUBLIC_KEY");
        env.remove("VAPID_SUBJECT");
        assertThatThrownBy(() -> WebPushConfig.read(env::get)).hasMessage("VAPID_SUBJECT is needed with VAPID_PRIVATE_KEY");
        env.put("VAPID_SUBJECT", "ops@example.com");
        env.putAll(Map.of("VAPID_PRIVATE_KEY", env(vapid).get("VAPID_PRIVATE_KEY")));
        assertThatThrownBy(() -> WebPushConfig.read(env::get)).hasMessage("VAPID_SUBJECT must be a mailto: or https: URL (RFC 8292)");
    }
}
