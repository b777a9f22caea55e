package dev.herald.core.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.notification.Contact;
import dev.herald.core.notification.Device;
import dev.herald.core.notification.WebhookUrls;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContactJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    static final String P256DH = Base64.getUrlEncoder().withoutPadding().encodeToString(point());
    static final String AUTH = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[16]);

    private static byte[] point() {
        byte[] p = new byte[65];
        p[0] = 0x04;
        return p;
    }

    private static Contact contact(String body) throws Exception {
        return ContactJson.parseContact("alice", JSON.readTree(body), WebhookUrls.httpsOnly());
    }

    private static Device device(String body) throws Exception {
        return ContactJson.parseDevice("alice", JSON.readTree(body), "d1", NOW);
    }

    @Test
    void readsEveryContactField() throws Exception {
        Contact c = contact("""
                {"email": "alice@example.com", "phone": "+33612345678", "locale": "fr-ca",
                 "timezone": "Europe/Paris", "webhookUrl": "https://hooks.example.com/alice"}""");

        assertThat(c).isEqualTo(new Contact("alice", "alice@example.com", "+33612345678", "fr-CA",
                ZoneId.of("Europe/Paris"), "https://hooks.example.com/alice"));
    }

    @Test
    void leavesOutFieldsEmpty() throws Exception {
        assertThat(contact("{\"email\": \"alice@example.com\", \"phone\": \"\"}"))
                .isEqualTo(new Contact("alice", "alice@example.com", null, null, null, null));
    }

    @Test
    void writesEveryFieldEvenWhenNull() throws Exception {
        assertThat(ContactJson.toJson(Contact.none("alice"))).isEqualTo(JSON.readTree(
                "{\"email\":null,\"phone\":null,\"locale\":null,\"timezone\":null,\"webhookUrl\":null}"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "{\"email\": \"not-an-address\"}                 | email: must be an address",
            "{\"email\": \"a b@example.com\"}                | email: must be an address",
            "{\"email\": \"alice@localhost\"}                | email: must be an address",
            "{\"email\": 42}                                 | email: must be a string",
            "{\"phone\": \"0612345678\"}                     | phone: must be E.164",
            "{\"phone\": \"+331234\"}                        | phone: must be E.164",
            "{\"phone\": \"+33 6 12 34 56 78\"}              | phone: must be E.164",
            "{\"locale\": \"fr_CA\"}                         | locale: must be a BCP 47 language tag",
            "{\"locale\": \"x-private\"}                     | locale: must be a BCP 47 language tag",
            "{\"locale\": \"und\"}                           | locale: must be a BCP 47 language tag",
            "{\"timezone\": \"Europe/Atlantis\"}             | timezone: unknown time zone 'Europe/Atlantis'",
            "{\"webhookUrl\": \"http://hooks.example.com/\"} | webhookUrl: must use https",
            "{\"address\": \"1 Main St\"}                    | address: unknown field",
    })
    void refusesABadContactNamingTheField(String body, String message) {
        assertThatThrownBy(() -> contact(body))
                .isInstanceOfSatisfying(HeraldException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageStartingWith(message);
    }

    @Test
    void readsAnFcmDevice() throws Exception {
        assertThat(device("{\"platform\": \"fcm\", \"token\": \"fcm:token-1\"}"))
                .isEqualTo(new Device("d1", "alice", Device.Platform.FCM, "fcm:token-1", null, null, NOW));
    }

    @Test
    void readsAWebPushSubscriptionAsTheBrowserWritesIt() throws Exception {
        Device d = device("{\"platform\": \"webpush\", \"subscription\": {\"endpoint\": \"https://push.example.com/s/1\","
                + " \"expirationTime\": null, \"keys\": {\"p256dh\": \"" + P256DH + "\", \"auth\": \"" + AUTH + "==\"}}}");

        assertThat(d).isEqualTo(new Device("d1", "alice", Device.Platform.WEBPUSH, "https://push.example.com/s/1", P256DH, AUTH, NOW));
    }

    @Test
    void writesAWebPushDeviceWithItsSubscription() throws Exception {
        Device d = new Device("d1", "alice", Device.Platform.WEBPUSH, "https://push.example.com/s/1", P256DH, AUTH, NOW);

        assertThat(ContactJson.toJson(d)).isEqualTo(JSON.readTree("{\"id\":\"d1\",\"platform\":\"webpush\",\"subscription\":"
                + "{\"endpoint\":\"https://push.example.com/s/1\",\"keys\":{\"p256dh\":\"" + P256DH + "\",\"auth\":\"" + AUTH + "\"}},"
                + "\"createdAt\":\"2026-11-24T10:00:00Z\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "{\"token\": \"t\"}                                         | platform: must be fcm, apns or webpush",
            "{\"platform\": \"blackberry\", \"token\": \"t\"}           | platform: must be fcm, apns or webpush",
            "{\"platform\": \"fcm\"}                                    | token: required for fcm",
            "{\"platform\": \"fcm\", \"token\": \"has space\"}          | token: an FCM token is",
            "{\"platform\": \"apns\", \"token\": \"xyz\"}               | token: an APNs device token is hexadecimal",
            "{\"platform\": \"fcm\", \"token\": \"t\", \"subscription\": {}} | subscription: only a webpush device",
            "{\"platform\": \"webpush\", \"token\": \"t\"}              | token: a webpush device takes a subscription",
            "{\"platform\": \"webpush\"}                                | subscription: required for webpush",
            "{\"platform\": \"webpush\", \"subscription\": {\"endpoint\": \"http://push.example.com/\", \"keys\": {}}} | subscription.endpoint: must be the push service's https URL",
            "{\"platform\": \"webpush\", \"subscription\": {\"endpoint\": \"https://push.example.com/\"}} | subscription.keys: required",
            "{\"platform\": \"webpush\", \"subscription\": {\"endpoint\": \"https://push.example.com/\", \"keys\": {\"p256dh\": \"!!\", \"auth\": \"x\"}}} | subscription.keys.p256dh: must be base64url",
            "{\"platform\": \"fcm\", \"token\": \"t\", \"label\": \"phone\"} | label: unknown field",
    })
    void refusesABadDeviceNamingTheField(String body, String message) {
        assertThatThrownBy(() -> device(body))
                .isInstanceOfSatisfying(HeraldException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageStartingWith(message);
    }

    @Test
    void refusesAWebPushAuthSecretOfTheWrongLength() {
        String body = "{\"platform\": \"webpush\", \"subscription\": {\"endpoint\": \"https://push.example.com/\", \"keys\": {\"p256dh\": \""
                + P256DH + "\", \"auth\": \"" + P256DH + "\"}}}";

        assertThatThrownBy(() -> device(body)).hasMessage("subscription.keys.auth: must be base64url of the 16-byte auth secret");
    }
}
