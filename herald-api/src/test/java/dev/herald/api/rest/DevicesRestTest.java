package dev.herald.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.http.HttpResponse;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code /me/devices} (user) and {@code /users/{id}/devices} (service). */
class DevicesRestTest extends SettingsRestFixture {
    static final String MINE = "/api/v1/me/devices";
    static final String FCM = "{\"platform\": \"fcm\", \"token\": \"fcm-token-1\"}";

    static String webPush() {
        byte[] point = new byte[65];
        point[0] = 4;
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return "{\"platform\": \"webpush\", \"subscription\": {\"endpoint\": \"https://push.example.com/send/abc\","
                + " \"keys\": {\"p256dh\": \"" + b64.encodeToString(point) + "\", \"auth\": \"" + b64.encodeToString(new byte[16]) + "\"}}}";
    }

    @Test
    void registersADeviceWith201AndAUuid() throws Exception {
        HttpResponse r = user("alice", "POST", MINE, FCM);

        assertThat(r.status()).isEqualTo(201);
        JsonNode d = json(r);
        assertThat(d.get("id").asText()).matches("[0-9a-f-]{36}");
        assertThat(d.get("platform").asText()).isEqualTo("fcm");
        assertThat(d.get("token").asText()).isEqualTo("fcm-token-1");
        assertThat(d.get("createdAt").asText()).isEqualTo("2026-11-24T10:00:00Z");
    }

    @Test
    void registersAWebPushSubscription() throws Exception {
        JsonNode d = json(user("alice", "POST", MINE, webPush()));

        assertThat(d.get("subscription").get("endpoint").asText()).isEqualTo("https://push.example.com/send/abc");
        assertThat(d.get("subscription").get("keys").get("auth").asText()).isEqualTo("AAAAAAAAAAAAAAAAAAAAAA");
    }

    @Test
    void registeringTheSameTokenAgainAnswers200WithTheFirstId() throws Exception {
        String first = json(user("alice", "POST", MINE, FCM)).get("id").asText();

        HttpResponse again = user("alice", "POST", MINE, FCM);

        assertThat(again.status()).isEqualTo(200);
        assertThat(json(again).get("id").asText()).isEqualTo(first);
    }

    @Test
    void listsTheUsersDevicesOldestFirst() throws Exception {
        String first = json(user("alice", "POST", MINE, FCM)).get("id").asText();
        clock.advance(java.time.Duration.ofSeconds(1));
        String second = json(user("alice", "POST", MINE, webPush())).get("id").asText();
        user("bob", "POST", MINE, "{\"platform\": \"fcm\", \"token\": \"bobs\"}");

        JsonNode list = json(user("alice", "GET", MINE, null)).get("devices");

        assertThat(list).hasSize(2);
        assertThat(list.get(0).get("id").asText()).isEqualTo(first);
        assertThat(list.get(1).get("id").asText()).isEqualTo(second);
    }

    @Test
    void deletesTheUsersDevice() throws Exception {
        String id = json(user("alice", "POST", MINE, FCM)).get("id").asText();

        HttpResponse r = user("alice", "DELETE", MINE + "/" + id, null);

        assertThat(r.status()).isEqualTo(204);
        assertThat(settings.devices("alice")).isEmpty();
    }

    @Test
    void deletingAnotherUsersDeviceIsNotFound() throws Exception {
        String bobs = json(user("bob", "POST", MINE, FCM)).get("id").asText();

        HttpResponse r = user("alice", "DELETE", MINE + "/" + bobs, null);

        assertThat(r.status()).isEqualTo(404);
        assertThat(errorCode(r)).isEqualTo("NOT_FOUND");
        assertThat(settings.devices("bob")).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "{\"platform\": \"nokia\", \"token\": \"x\"}                              | platform: must be fcm, apns or webpush",
            "{\"platform\": \"apns\", \"token\": \"not-hex\"}                         | token: an APNs device token is hexadecimal",
            "{\"platform\": \"fcm\"}                                                  | token: required for fcm",
            "{\"platform\": \"webpush\", \"subscription\": {\"endpoint\": \"http://push.example.com/\", \"keys\": {}}} | subscription.endpoint: must be the push service's https URL",
            "{\"platform\": \"webpush\", \"subscription\": {\"endpoint\": \"https://push.example.com/\", \"keys\": {\"p256dh\": \"abc\", \"auth\": \"abc\"}}} | subscription.keys.p256dh: must be base64url",
    })
    void refusesBadInputWith400NamingTheField(String body, String message) throws Exception {
        HttpResponse r = user("alice", "POST", MINE, body);

        assertThat(r.status()).isEqualTo(400);
        assertThat(errorMessage(r)).startsWith(message);
        assertThat(settings.devices("alice")).isEmpty();
    }

    @Test
    void aServiceRegistersListsAndDeletesAUsersDevices() throws Exception {
        HttpResponse added = service("POST", "/api/v1/users/bob/devices", FCM);
        String id = json(added).get("id").asText();

        assertThat(added.status()).isEqualTo(201);
        assertThat(json(service("GET", "/api/v1/users/bob/devices", null)).get("devices")).hasSize(1);
        assertThat(service("DELETE", "/api/v1/users/bob/devices/" + id, null).status()).isEqualTo(204);
        assertThat(settings.devices("bob")).isEmpty();
    }

    @Test
    void aServiceDeletingADeviceOfAnotherUserIsNotFound() throws Exception {
        String bobs = json(service("POST", "/api/v1/users/bob/devices", FCM)).get("id").asText();

        assertThat(service("DELETE", "/api/v1/users/carol/devices/" + bobs, null).status()).isEqualTo(404);
    }

    @Test
    void aUserTokenOnTheServiceRouteIsForbidden() throws Exception {
        assertThat(user("alice", "GET", "/api/v1/users/bob/devices", null).status()).isEqualTo(403);
    }

    @Test
    void answersUnderTheUnversionedPathToo() throws Exception {
        assertThat(user("alice", "POST", "/api/me/devices", FCM).status()).isEqualTo(201);
    }
}
