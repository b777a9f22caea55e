package dev.herald.channels.push.apns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.channels.push.DeviceResult;
import dev.herald.channels.push.Pem;
import dev.herald.channels.push.PushHttp;
import dev.herald.channels.push.PushMessage;
import dev.herald.channels.push.PushTesting;
import dev.herald.channels.testing.ApnsServer;
import dev.herald.channels.testing.PushAnswer;
import dev.herald.core.notification.Device;
import dev.herald.core.notification.Priority;
import dev.herald.core.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApnsSenderTest {
    static final String KEY_ID = "ABC123DEFG";
    static final String TEAM_ID = "DEF123GHIJ";
    static final String TOPIC = "dev.herald.app";
    static final String TOKEN = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";

    private final MutableClock clock = MutableClock.at("2026-03-10T08:00:00Z");
    private final KeyPair team = PushTesting.p256KeyPair();
    private final ApnsServer apple = ApnsServer.start((ECPublicKey) team.getPublic(), KEY_ID, TEAM_ID, TOPIC, clock);
    private final PushHttp http = PushHttp.open(clock, apple.clientSsl());
    @TempDir
    Path dir;

    @AfterEach
    void close() {
        http.close();
        apple.close();
    }

    private Map<String, String> env(KeyPair key) throws Exception {
        Path p8 = Files.writeString(dir.resolve("AuthKey_" + KEY_ID + ".p8"), Pem.encode(key.getPrivate()));
        Map<String, String> env = new HashMap<>();
        env.put("APNS_KEY_FILE", p8.toString());
        env.put("APNS_KEY_ID", KEY_ID);
        env.put("APNS_TEAM_ID", TEAM_ID);
        env.put("APNS_TOPIC", TOPIC);
        env.put("APNS_BASE_URL", apple.baseUrl());
        return env;
    }

    private ApnsSender sender(KeyPair key) throws Exception {
        return new ApnsSender(ApnsConfig.read(env(key)::get).orElseThrow(), http);
    }

    private static Device device(String token) {
        return PushTesting.device("dev-" + token.substring(0, 4), "u1", Device.Platform.APNS, token);
    }

    @Test
    void anAlertReachesAppleOverHttp2WithAProviderTokenTheTeamKeyVerifies() throws Exception {
        DeviceResult result = sender(team).send(device(TOKEN), PushTesting.push("del-1"));

        assertThat(apple.refusals()).isEmpty();
        ApnsServer.Received got = apple.received().getFirst();
        assertThat(result).isEqualTo(new DeviceResult.Sent(got.headers().get("apns-id")));
        assertThat(got.deviceToken()).isEqualTo(TOKEN);
        assertThat(got.headers()).containsEntry("apns-topic", TOPIC).containsEntry("apns-push-type", "alert")
                .containsEntry("apns-priority", "10");
        var body = new ObjectMapper().readTree(got.body());
        assertThat(body.path("aps").path("alert").path("title").asText()).isEqualTo("New reply");
        assertThat(body.path("aps").path("alert").path("body").asText()).isEqualTo("Ada replied to your post");
        assertThat(body.path("data").path("id").asText()).isEqualTo("n1");
    }

    @Test
    void theApnsIdIsStableAcrossRetriesOfOneDeliveryAndMediumIsPriorityFive() throws Exception {
        ApnsSender sender = sender(team);
        PushMessage medium = new PushMessage("del-2", Priority.MEDIUM, "t", "b", null);
        sender.send(device(TOKEN), medium);
        sender.send(device(TOKEN), medium);

        assertThat(apple.received()).hasSize(2);
        assertThat(apple.received().get(0).headers().get("apns-id")).isEqualTo(apple.received().get(1).headers().get("apns-id"));
        assertThat(apple.received().get(0).headers()).containsEntry("apns-priority", "5");
    }

    @Test
    void theProviderTokenIsReusedThenRenewedBeforeAppleWouldCallItExpired() throws Exception {
        ApnsSender sender = sender(team);
        sender.send(device(TOKEN), PushTesting.push("d1"));
        clock.advance(Duration.ofMinutes(49));
        sender.send(device(TOKEN), PushTesting.push("d2"));
        clock.advance(Duration.ofMinutes(2));
        assertThat(sender.send(device(TOKEN), PushTesting.push("d3"))).isInstanceOf(DeviceResult.Sent.class);

        var tokens = apple.received().stream().map(ApnsServer.Received::providerToken).toList();
        assertThat(tokens.get(0)).isEqualTo(tokens.get(1));
        assertThat(tokens.get(2)).isNotEqualTo(tokens.get(1));
        assertThat(apple.refusals()).isEmpty();
    }

    @Test
    void dataThatWouldPassApnsFourKilobytesIsCutDown() throws Exception {
        var data = PushMessage.json().createObjectNode().put("id", "n7").put("blob", "x".repeat(5000));
        assertThat(sender(team).send(device(TOKEN), new PushMessage("del-9", Priority.LOW, "t", "b", data)))
                .isInstanceOf(DeviceResult.Sent.class);

        assertThat(new ObjectMapper().readTree(apple.received().getFirst().body()).path("data").toString()).isEqualTo("{\"id\":\"n7\"}");
    }

    @Test
    void anUnregisteredOrBadDeviceTokenIsGone() throws Exception {
        String other = "ff" + TOKEN.substring(2);
        apple.respond(TOKEN, PushAnswer.status(410, "{\"reason\":\"Unregistered\",\"timestamp\":1741593600000}"));
        apple.respond(other, PushAnswer.status(400, "{\"reason\":\"BadDeviceToken\"}"));
        ApnsSender sender = sender(team);

        assertThat(sender.send(device(TOKEN), PushTesting.push("d"))).isEqualTo(new DeviceResult.Gone("http 410 Unregistered"));
        assertThat(sender.send(device(other), PushTesting.push("d"))).isEqualTo(new DeviceResult.Gone("http 400 BadDeviceToken"));
    }

    @Test
    void tooManyRequestsAndOutagesRetry() throws Exception {
        String other = "ff" + TOKEN.substring(2);
        apple.respond(TOKEN, PushAnswer.status(429, "{\"reason\":\"TooManyRequests\"}").retryAfter("60"));
        apple.respond(other, PushAnswer.status(503, "{\"reason\":\"ServiceUnavailable\"}"));
        ApnsSender sender = sender(team);

        assertThat(sender.send(device(TOKEN), PushTesting.push("d"))).isEqualTo(new DeviceResult.Retry("http 429 TooManyRequests", Duration.ofSeconds(60)));
        assertThat(sender.send(device(other), PushTesting.push("d"))).isEqualTo(new DeviceResult.Retry("http 503 ServiceUnavailable", null));
    }

    @Test
    void aTokenSignedWithAnotherKeyIsRefusedAndRetriedWithANewOne() throws Exception {
        assertThat(sender(PushTesting.p256KeyPair()).send(device(TOKEN), PushTesting.push("d")))
                .isEqualTo(new DeviceResult.Retry("http 403 InvalidProviderToken", null));
        assertThat(apple.refusals()).containsExactly("InvalidProviderToken");
        assertThat(apple.received()).isEmpty();
    }

    @Test
    void aWrongTopicFails() throws Exception {
        Map<String, String> env = env(team);
        env.put("APNS_TOPIC", "com.example.other");
        ApnsSender sender = new ApnsSender(ApnsConfig.read(env::get).orElseThrow(), http);

        assertThat(sender.send(device(TOKEN), PushTesting.push("d"))).isEqualTo(new DeviceResult.Failed("http 400 BadTopic"));
    }

    @Test
    void theSettingsComeAllTogetherOrNotAtAll() throws Exception {
        Map<String, String> env = env(team);
        assertThat(ApnsConfig.read(env::get).orElseThrow().toString()).doesNotContain("PRIVATE");
        env.remove("APNS_TEAM_ID");
        assertThatThrownBy(() -> ApnsConfig.read(env::get)).hasMessageStartingWith("APNS_TEAM_ID is needed with");
        env.put("APNS_TEAM_ID", "short");
        assertThatThrownBy(() -> ApnsConfig.read(env::get)).hasMessage("APNS_TEAM_ID must be the 10-character team id");
        assertThat(ApnsConfig.read(Map.<String, String>of()::get)).isEmpty();
        assertThatThrownBy(() -> ApnsConfig.read(Map.of("APNS_BASE_URL", "https://x")::get))
                .hasMessage("APNS_BASE_URL is set but APNS_KEY_FILE is not");
    }
}
