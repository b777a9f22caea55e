package dev.herald.channels.push.fcm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.channels.push.DeviceResult;
import dev.herald.channels.push.PushHttp;
import dev.herald.channels.push.PushTesting;
import dev.herald.channels.testing.FcmServer;
import dev.herald.channels.testing.PushAnswer;
import dev.herald.core.notification.Device;
import dev.herald.core.testing.MutableClock;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FcmSenderTest {
    private final MutableClock clock = MutableClock.at("2026-03-10T08:00:00Z");
    private final FcmServer google = FcmServer.start(clock);
    private final PushHttp http = PushHttp.open(clock);
    private final FcmSender sender = new FcmSender(google.config(), http);

    @AfterEach
    void close() {
        http.close();
        google.close();
    }

    private static Device device(String token) {
        return PushTesting.device("d-" + token, "u1", Device.Platform.FCM, token);
    }

    @Test
    void aMessageReachesGoogleWithAGrantedTokenAndTheV1Shape() {
        DeviceResult result = sender.send(device("tok-1"), PushTesting.push("del-1"));

        assertThat(result).isInstanceOf(DeviceResult.Sent.class);
        assertThat(((DeviceResult.Sent) result).providerId()).startsWith("projects/herald-test/messages/");
        assertThat(google.refusedGrants()).isZero();
        assertThat(google.refusedSends()).isZero();
        var m = google.receivedFor("tok-1").getFirst().message();
        assertThat(m.path("notification").path("title").asText()).isEqualTo("New reply");
        assertThat(m.path("notification").path("body").asText()).isEqualTo("Ada replied to your post");
        assertThat(m.path("data").path("id").asText()).isEqualTo("n1");
        assertThat(m.path("data").path("data").asText()).isEqualTo("{\"postId\":42}");
        assertThat(m.path("android").path("priority").asText()).isEqualTo("HIGH");
    }

    @Test
    void theAccessTokenIsReusedUntilShortlyBeforeItExpires() {
        sender.send(device("tok-1"), PushTesting.push("del-1"));
        clock.advance(Duration.ofMinutes(58));
        sender.send(device("tok-1"), PushTesting.push("del-2"));
        assertThat(google.grants()).isEqualTo(1);

        clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        assertThat(sender.send(device("tok-1"), PushTesting.push("del-3"))).isInstanceOf(DeviceResult.Sent.class);
        assertThat(google.grants()).isEqualTo(2);
        assertThat(google.refusedSends()).isZero();
    }

    @Test
    void aRevokedAccessTokenRetriesAndTheNextSendGetsANewOne() {
        sender.send(device("tok-1"), PushTesting.push("del-1"));
        google.revokeTokens();

        assertThat(sender.send(device("tok-1"), PushTesting.push("del-2"))).isEqualTo(new DeviceResult.Retry("http 401 UNAUTHENTICATED", null));
        assertThat(sender.send(device("tok-1"), PushTesting.push("del-2"))).isInstanceOf(DeviceResult.Sent.class);
        assertThat(google.grants()).isEqualTo(2);
    }

    @Test
    void dataThatWouldPassFcmsFourKilobytesIsCutDownToTheNotificationsId() {
        var data = dev.herald.channels.push.PushMessage.json().createObjectNode().put("id", "n7").put("type", "digest")
                .put("notifications", "x".repeat(5000));
        var big = new dev.herald.channels.push.PushMessage("del-9", dev.herald.core.notification.Priority.MEDIUM, "3 new", "…", data);

        assertThat(sender.send(device("tok-1"), big)).isInstanceOf(DeviceResult.Sent.class);
        var sent = google.receivedFor("tok-1").getFirst().message();
        assertThat(sent.path("data").toString()).isEqualTo("{\"id\":\"n7\",\"type\":\"digest\"}");
        assertThat(sent.path("android").path("priority").asText()).isEqualTo("NORMAL");
    }

    @Test
    void anUnregisteredTokenIsGone() {
        google.respond("tok-old", PushAnswer.status(404, FcmServer.error(404, "NOT_FOUND", "UNREGISTERED")));

        assertThat(sender.send(device("tok-old"), PushTesting.push("del-1"))).isEqualTo(new DeviceResult.Gone("http 404 UNREGISTERED"));
    }

    @Test
    void quotaAndOutagesRetryWithTheirRetryAfterAndOtherRefusalsFail() {
        google.respond("tok-1", PushAnswer.status(429, FcmServer.error(429, "RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED")).retryAfter("30"));
        google.respond("tok-2", PushAnswer.status(503, "{}"));
        google.respond("tok-3", PushAnswer.status(400, FcmServer.error(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT")));

        assertThat(sender.send(device("tok-1"), PushTesting.push("d"))).isEqualTo(new DeviceResult.Retry("http 429 QUOTA_EXCEEDED", Duration.ofSeconds(30)));
        assertThat(sender.send(device("tok-2"), PushTesting.push("d"))).isEqualTo(new DeviceResult.Retry("http 503", null));
        assertThat(sender.send(device("tok-3"), PushTesting.push("d"))).isEqualTo(new DeviceResult.Failed("http 400 INVALID_ARGUMENT"));
    }

    @Test
    void anAssertionSignedByAnotherKeyIsRefusedAndTheSendFails() {
        try (FcmServer other = FcmServer.start(clock)) {
            FcmConfig wrongKey = new FcmConfig(ServiceAccount.parse(other.serviceAccountJson()),
                    URI.create(google.baseUrl()), URI.create(google.tokenUrl()));
            DeviceResult result = new FcmSender(wrongKey, http).send(device("tok-1"), PushTesting.push("d"));

            assertThat(result).isEqualTo(new DeviceResult.Failed("token endpoint: http 400: invalid_grant"));
            assertThat(google.refusedGrants()).isEqualTo(1);
            assertThat(google.received()).isEmpty();
        }
    }

    @Test
    void anUnreachableGoogleRetries() {
        google.close();
        assertThat(sender.send(device("tok-1"), PushTesting.push("d"))).isEqualTo(new DeviceResult.Retry("token endpoint: connection refused", null));
    }

    @Test
    void theSettingsReadTheServiceAccountFileAndRefuseABadOne(@TempDir Path dir) throws Exception {
        Map<String, String> env = new HashMap<>();
        assertThat(FcmConfig.read(env::get)).isEmpty();

        env.put("FCM_SERVICE_ACCOUNT_FILE", google.writeServiceAccount(dir).toString());
        env.put("FCM_BASE_URL", google.baseUrl());
        FcmConfig read = FcmConfig.read(env::get).orElseThrow();
        assertThat(read.account().projectId()).isEqualTo("herald-test");
        assertThat(read.tokenUrl()).isEqualTo(FcmConfig.DEFAULT_TOKEN_URL);
        assertThat(read.account().toString()).doesNotContain("PRIVATE");

        java.nio.file.Files.writeString(dir.resolve("bad.json"), "{\"type\":\"service_account\",\"project_id\":\"p\"}");
        env.put("FCM_SERVICE_ACCOUNT_FILE", dir.resolve("bad.json").toString());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FcmConfig.read(env::get))
                .hasMessage("FCM_SERVICE_ACCOUNT_FILE file has no client_email");
        env.remove("FCM_SERVICE_ACCOUNT_FILE");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FcmConfig.read(env::get))
                .hasMessage("FCM_BASE_URL is set but FCM_SERVICE_ACCOUNT_FILE is not");
    }
}
