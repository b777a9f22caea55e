package dev.herald.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** U+0000 and unpaired surrogates are refused with 400 naming the field, wherever REST takes text in. */
class NotificationsTextTest extends InboxRestFixture {
    static final String CREATE = "/api/v1/notifications";

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "{\"type\":\"t\",\"recipients\":[\"a\"],\"title\":\"x\\u0000y\"}                     | title",
            "{\"type\":\"t\",\"recipients\":[\"a\"],\"title\":\"x\\ud800\"}                      | title",
            "{\"type\":\"t\\u0000\",\"recipients\":[\"a\"],\"title\":\"x\"}                      | type",
            "{\"type\":\"t\",\"recipients\":[\"a\",\"b\\u0000\"],\"title\":\"x\"}                | recipients[1]",
            "{\"type\":\"t\",\"recipients\":[\"a\"],\"title\":\"x\",\"channel\":\"c\\u0000\"}     | channel",
            "{\"type\":\"t\",\"recipients\":[\"a\"],\"title\":\"x\",\"data\":{\"note\":\"\\udfff\"}} | data.note",
            "{\"type\":\"t\",\"recipients\":[\"a\"],\"title\":\"x\",\"data\":{\"k\\u0000\":1}}    | data",
    })
    void refusesBadTextInACreateBodyNamingItsPath(String body, String path) throws Exception {
        HttpResponse r = asService("POST", CREATE, body);

        assertThat(r.status()).isEqualTo(400);
        assertThat(errorCode(r)).isEqualTo("INVALID_ARGUMENT");
        assertThat(errorMessage(r)).startsWith(path + ": ");
        assertThat(json(asService("GET", CREATE, query("userId", "a"), Map.of(), null)).get("notifications")).isEmpty();
    }

    @Test
    void refusesNulInABulkItemAtItsIndexAndKeepsTheOthers() throws Exception {
        HttpResponse r = asService("POST", CREATE + "/bulk", """
                {"notifications":[{"type":"t","recipients":["a"],"title":"ok"},
                                  {"type":"t","recipients":["a"],"title":"bad\\u0000"}]}""");

        assertThat(r.status()).isEqualTo(202);
        assertThat(json(r).get("accepted").asInt()).isEqualTo(1);
        assertThat(json(r).get("results").get(1).get("error").get("message").asText()).startsWith("title: ");
    }

    @Test
    void refusesNulInAnIdempotencyKeyHeader() throws Exception {
        HttpResponse r = asService("POST", CREATE, Map.of(), Map.of("idempotency-key", "k\u0000"),
                "{\"type\":\"t\",\"recipients\":[\"a\"],\"title\":\"x\"}");

        assertThat(r.status()).isEqualTo(400);
        assertThat(errorMessage(r)).startsWith("Idempotency-Key: ");
    }

    @ParameterizedTest(name = "?{0}=")
    @CsvSource({"userId", "type", "channel"})
    void refusesNulInAQueryParameterNamingIt(String name) throws Exception {
        HttpResponse r = asService("GET", CREATE, query("userId", "alice", name, "x\u0000"), Map.of(), null);

        assertThat(r.status()).isEqualTo(400);
        assertThat(errorMessage(r)).startsWith(name + ": ");
    }

    @Test
    void refusesNulInAPathParameterNamingIt() throws Exception {
        HttpResponse r = asService("DELETE", "/api/v1/users/a%00b", null);

        assertThat(r.status()).isEqualTo(400);
        assertThat(errorCode(r)).isEqualTo("INVALID_ARGUMENT");
        assertThat(errorMessage(r)).startsWith("id: ");
    }
}
