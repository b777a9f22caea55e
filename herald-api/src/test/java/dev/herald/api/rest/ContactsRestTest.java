package dev.herald.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code /me/contact} (user) and {@code /users/{id}/contact} (service). */
class ContactsRestTest extends SettingsRestFixture {
    static final String MINE = "/api/v1/me/contact";
    static final String FULL = """
            {"email": "alice@example.com", "phone": "+33612345678", "locale": "fr-CA",
             "timezone": "Europe/Paris", "webhookUrl": "https://hooks.example.com/alice"}""";

    @Test
    void putStoresTheContactAndGetAnswersIt() throws Exception {
        HttpResponse put = user("alice", "PUT", MINE, FULL);

        assertThat(put.status()).isEqualTo(200);
        assertThat(json(user("alice", "GET", MINE, null))).isEqualTo(JSON.readTree(FULL));
    }

    @Test
    void aUserWhoGaveNoContactGetsEveryFieldNull() throws Exception {
        JsonNode c = json(user("alice", "GET", MINE, null));

        assertThat(c.get("email").isNull()).isTrue();
        assertThat(c.get("webhookUrl").isNull()).isTrue();
    }

    @Test
    void putReplacesTheWholeContact() throws Exception {
        user("alice", "PUT", MINE, FULL);

        user("alice", "PUT", MINE, "{\"email\": \"alice@example.org\"}");

        assertThat(json(user("alice", "GET", MINE, null)).get("phone").isNull()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "{\"email\": \"alice\"}                          | email: must be an address",
            "{\"phone\": \"12345\"}                          | phone: must be E.164",
            "{\"locale\": \"en_US\"}                         | locale: must be a BCP 47 language tag",
            "{\"timezone\": \"Paris\"}                       | timezone: unknown time zone 'Paris'",
            "{\"webhookUrl\": \"http://hooks.example.com/\"} | webhookUrl: must use https",
            "{\"fax\": \"+331234567\"}                       | fax: unknown field",
    })
    void refusesBadInputWith400NamingTheField(String body, String message) throws Exception {
        HttpResponse r = user("alice", "PUT", MINE, body);

        assertThat(r.status()).isEqualTo(400);
        assertThat(errorCode(r)).isEqualTo("INVALID_ARGUMENT");
        assertThat(errorMessage(r)).startsWith(message);
        assertThat(storage.contacts().contact("alice")).isEmpty();
    }

    @Test
    void aServiceSetsAUsersContact() throws Exception {
        HttpResponse put = service("PUT", "/api/v1/users/bob/contact", "{\"email\": \"bob@example.com\"}");

        assertThat(put.status()).isEqualTo(200);
        assertThat(json(user("bob", "GET", MINE, null)).get("email").asText()).isEqualTo("bob@example.com");
        assertThat(json(service("GET", "/api/v1/users/bob/contact", null)).get("email").asText()).isEqualTo("bob@example.com");
    }

    @Test
    void aUserTokenOnTheServiceRouteIsForbidden() throws Exception {
        assertThat(user("alice", "PUT", "/api/v1/users/bob/contact", "{\"email\": \"evil@example.com\"}").status()).isEqualTo(403);
        assertThat(storage.contacts().contact("bob")).isEmpty();
    }

    @Test
    void aUserSeesOnlyTheirOwnContact() throws Exception {
        service("PUT", "/api/v1/users/bob/contact", "{\"email\": \"bob@example.com\"}");

        assertThat(json(user("alice", "GET", MINE, null)).get("email").isNull()).isTrue();
    }
}
