package dev.herald.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.http.HttpResponse;
import dev.herald.core.notification.Channel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code /notifications/preferences} (user) and {@code /users/{id}/preferences} (service). */
class PreferencesRestTest extends SettingsRestFixture {
    static final String MINE = "/api/v1/notifications/preferences";
    static final String DESIGN_EXAMPLE = """
            { "channels": {"inApp": true, "email": true, "push": true, "sms": false, "webhook": false},
              "types": {"marketing": {"email": false}, "comment": {"push": false}},
              "quietHours": {"start": "22:00", "end": "07:00", "timezone": "Europe/Paris"},
              "digest": {"comment": {"frequency": "daily", "at": "09:00"}, "*": {"frequency": "instant"}} }""";

    @Test
    void aUserWhoNeverSetAnyGetsTheDefaultsWithEverythingOn() throws Exception {
        JsonNode p = json(user("alice", "GET", MINE, null));

        assertThat(p.get("channels")).isEqualTo(JSON.readTree(
                "{\"inApp\":true,\"email\":true,\"push\":true,\"sms\":true,\"webhook\":true}"));
        assertThat(p.get("quietHours").isNull()).isTrue();
    }

    @Test
    void putStoresTheDesignShapeAndGetAnswersIt() throws Exception {
        HttpResponse put = user("alice", "PUT", MINE, DESIGN_EXAMPLE);

        assertThat(put.status()).isEqualTo(200);
        assertThat(json(user("alice", "GET", MINE, null))).isEqualTo(JSON.readTree(DESIGN_EXAMPLE));
    }

    @Test
    void patchMergesIntoWhatIsStored() throws Exception {
        user("alice", "PUT", MINE, DESIGN_EXAMPLE);

        JsonNode p = json(user("alice", "PATCH", MINE, "{\"channels\": {\"sms\": true}}"));

        assertThat(p.get("channels").get("sms").asBoolean()).isTrue();
        assertThat(p.get("channels").get("webhook").asBoolean()).isFalse();
        assertThat(p.get("quietHours").get("timezone").asText()).isEqualTo("Europe/Paris");
    }

    @Test
    void acceptsTheSeed001Shape() throws Exception {
        HttpResponse r = user("alice", "PUT", MINE, "{\"email\": true, \"push\": false, \"inApp\": true}");

        assertThat(r.status()).isEqualTo(200);
        assertThat(settings.preferences("alice").allows("any", Channel.PUSH)).isFalse();
    }

    @Test
    void answersUnderTheUnversionedPathToo() throws Exception {
        user("alice", "PUT", "/api/notifications/preferences", "{\"push\": false}");

        assertThat(json(user("alice", "GET", "/api/notifications/preferences", null)).get("channels").get("push").asBoolean()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "{\"channels\": {\"fax\": true}}                              | channels.fax: unknown channel 'fax'",
            "{\"quietHours\": {\"start\": \"25:00\", \"end\": \"07:00\"}} | quietHours.start: must be HH:MM",
            "{\"quietHours\": {\"start\": \"22:00\", \"end\": \"07:00\", \"timezone\": \"Nowhere/Land\"}} | quietHours.timezone: unknown time zone",
            "{\"digest\": {\"*\": {\"frequency\": \"sometimes\"}}}        | digest.*.frequency: must be instant, hourly, daily or weekly",
            "{\"digest\": {\"comment\": {\"frequency\": \"weekly\", \"day\": \"funday\"}}} | digest.comment.day: must be a day of the week",
            "{\"digest\": {\"comment\": {\"frequency\": \"weekly\"}}}     | digest.comment.day: a weekly digest needs a day",
    })
    void refusesBadInputWith400NamingTheField(String body, String message) throws Exception {
        HttpResponse r = user("alice", "PATCH", MINE, body);

        assertThat(r.status()).isEqualTo(400);
        assertThat(errorCode(r)).isEqualTo("INVALID_ARGUMENT");
        assertThat(errorMessage(r)).startsWith(message);
        assertThat(storage.preferences().find("alice")).isEmpty();
    }

    @Test
    void refusesMalformedJson() throws Exception {
        HttpResponse r = user("alice", "PUT", MINE, "{\"channels\":");

        assertThat(r.status()).isEqualTo(400);
        assertThat(errorMessage(r)).isEqualTo("request body is not valid JSON");
    }

    @Test
    void refusesAnAnonymousCaller() throws Exception {
        assertThat(call("GET", MINE, null, null).status()).isEqualTo(401);
    }

    @Test
    void aUserNamingAnotherUserIsForbidden() throws Exception {
        HttpResponse r = call("GET", MINE, query("userId", "bob"), userToken("alice"), null);

        assertThat(r.status()).isEqualTo(403);
    }

    @Test
    void aServiceSetsAUsersPreferences() throws Exception {
        HttpResponse put = service("PUT", "/api/v1/users/bob/preferences", "{\"channels\": {\"email\": false}}");

        assertThat(put.status()).isEqualTo(200);
        assertThat(json(user("bob", "GET", MINE, null)).get("channels").get("email").asBoolean()).isFalse();
        assertThat(json(service("GET", "/api/v1/users/bob/preferences", null)).get("channels").get("email").asBoolean()).isFalse();
    }

    @Test
    void aUserTokenOnTheServiceRouteIsForbidden() throws Exception {
        HttpResponse r = user("alice", "GET", "/api/v1/users/alice/preferences", null);

        assertThat(r.status()).isEqualTo(403);
        assertThat(errorCode(r)).isEqualTo("FORBIDDEN");
    }

    @Test
    void aServiceRouteHasNoPatch() throws Exception {
        HttpResponse r = service("PATCH", "/api/v1/users/bob/preferences", "{}");

        assertThat(r.status()).isEqualTo(405);
        assertThat(r.headers().get("Allow")).isEqualTo("GET, PUT");
    }
}
