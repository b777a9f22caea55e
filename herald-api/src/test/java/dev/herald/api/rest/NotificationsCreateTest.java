package dev.herald.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.api.auth.TokenIssuer;
import dev.herald.core.deliver.live.LiveNotifier;
import dev.herald.core.http.HttpResponse;
import dev.herald.core.inbox.InboxService;
import dev.herald.core.pipeline.NotificationPipeline;
import dev.herald.core.testing.FakeSession;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The service side of the REST inbox: create, its validation and idempotency, and auth. */
class NotificationsCreateTest extends InboxRestFixture {
    static final String CREATE = "/api/v1/notifications";

    @Test
    void createsOneNotificationPerRecipientAndSendsItLiveToEveryTab() throws Exception {
        FakeSession alice1 = tab("alice"), alice2 = tab("alice"), carol = tab("carol");

        HttpResponse r = asService("POST", CREATE, """
                {"type":"order_status","recipients":["alice","bob"],"title":"Order Updated",
                 "message":"Your order #12345 has been shipped","channel":"orders","priority":"high",
                 "data":{"orderId":"12345"},"actorId":"shop","entityType":"order","entityId":"12345"}""");

        assertThat(r.status()).isEqualTo(202);
        JsonNode body = json(r);
        assertThat(body.get("ids")).hasSize(2);
        assertThat(body.get("replayed").asBoolean()).isFalse();
        JsonNode first = body.get("notifications").get(0);
        assertThat(first.get("id").asText()).isEqualTo(body.get("ids").get(0).asText());
        assertThat(first.get("recipientId").asText()).isEqualTo("alice");
        assertThat(first.get("status").asText()).isEqualTo("pending");
        assertThat(first.get("priority").asText()).isEqualTo("high");
        assertThat(first.get("entityId").asText()).isEqualTo("12345");
        assertThat(alice1.sent(LiveNotifier.NOTIFICATION)).singleElement()
                .satisfies(e -> assertThat(JSON.readTree(e.json()).get("id").asText()).isEqualTo(first.get("id").asText()));
        assertThat(alice2.sent(LiveNotifier.NOTIFICATION)).hasSize(1);
        assertThat(carol.sent()).isEmpty();
    }

    @Test
    void refusesABodyThatSaysItIsNotJsonWith415() throws Exception {
        HttpResponse r = rest.handle(request("POST", CREATE, Map.of(),
                Map.of("authorization", "Bearer " + API_KEY, "content-type", "application/x-www-form-urlencoded"),
                bytes("{\"type\":\"t\",\"recipients\":[\"alice\"],\"title\":\"Hi\"}"))).orElseThrow();

        assertThat(r.status()).isEqualTo(415);
        assertThat(errorMessage(r)).contains("application/json");
        assertThat(json(asUser("alice", "GET", CREATE)).get("notifications")).isEmpty();
    }

    @Test
    void acceptsJsonWithACharsetParameter() throws Exception {
        HttpResponse r = rest.handle(request("POST", CREATE, Map.of(),
                Map.of("authorization", "Bearer " + API_KEY, "content-type", "application/json; charset=utf-8"),
                bytes("{\"type\":\"t\",\"recipients\":[\"alice\"],\"title\":\"Hi\"}"))).orElseThrow();

        assertThat(r.status()).isEqualTo(202);
    }

    @Test
    void acceptsAUserRoomInPlaceOfRecipients() throws Exception {
        FakeSession alice = tab("alice");

        HttpResponse r = asService("POST", CREATE, "{\"type\":\"t\",\"room\":\"user:alice\",\"title\":\"Hi\"}");

        assertThat(r.status()).isEqualTo(202);
        assertThat(json(r).get("notifications").get(0).get("recipientId").asText()).isEqualTo("alice");
        assertThat(alice.sent(LiveNotifier.NOTIFICATION)).hasSize(1);
    }

    @Test
    void acceptsCategoryAsAnotherNameForChannel() throws Exception {
        HttpResponse r = asService("POST", CREATE, "{\"type\":\"t\",\"recipients\":[\"a\"],\"title\":\"Hi\",\"category\":\"orders\"}");

        assertThat(json(r).get("notifications").get(0).get("channel").asText()).isEqualTo("orders");
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"recipients\":[\"a\"],\"title\":\"t\"}                                   | type",
            "{\"type\":\"bad type!\",\"recipients\":[\"a\"],\"title\":\"t\"}            | type",
            "{\"type\":\"t\",\"title\":\"t\"}                                           | recipients",
            "{\"type\":\"t\",\"recipients\":\"a\",\"title\":\"t\"}                      | recipients",
            "{\"type\":\"t\",\"recipients\":[\"a\",7],\"title\":\"t\"}                  | recipients",
            "{\"type\":\"t\",\"room\":\"team:t1\",\"title\":\"t\"}                      | room",
            "{\"type\":\"t\",\"room\":\"user:a\",\"recipients\":[\"a\"],\"title\":\"t\"} | room",
            "{\"type\":\"t\",\"recipients\":[\"a\"]}                                    | title",
            "{\"type\":\"t\",\"recipients\":[\"a\"],\"title\":5}                        | title",
            "{\"type\":\"t\",\"recipients\":[\"a\"],\"title\":\"t\",\"priority\":\"critical\"} | priority",
            "{\"type\":\"t\",\"recipients\":[\"a\"],\"title\":\"t\",\"channel\":\"a b\"}      | channel",
            "{\"type\":\"t\",\"recipients\":[\"a\"],\"title\":\"t\",\"data\":[1]}             | data",
            "{\"type\":\"t\",\"recipients\":[\"a\"],\"title\":\"t\",\"scheduledAt\":\"tomorrow\"} | scheduledAt",
            "{\"type\":\"t\",\"recipients\":[\"a\"],\"title\":\"t\",\"expiresAt\":\"2026-11-24T09:00:00Z\"} | expiresAt",
            "{\"type\":\"t\",\"recipients\":[\"a\"],\"title\":\"t\",\"chanels\":[\"email\"]} | chanels",
    })
    void refusesABadFieldWith400NamingIt(String body, String field) throws Exception {
        HttpResponse r = asService("POST", CREATE, body);

        assertThat(r.status()).isEqualTo(400);
        assertThat(errorCode(r)).isEqualTo("INVALID_ARGUMENT");
        assertThat(errorMessage(r)).startsWith(field + ":");
    }

    @Test
    void refusesMalformedJsonWith400() throws Exception {
        HttpResponse r = asService("POST", CREATE, "{\"type\":");

        assertThat(r.status()).isEqualTo(400);
        assertThat(errorCode(r)).isEqualTo("INVALID_ARGUMENT");
    }

    @Test
    void refusesABodyOverOneMegabyteWith413() throws Exception {
        String big = "{\"type\":\"t\",\"recipients\":[\"a\"],\"title\":\"" + "x".repeat(1024 * 1024) + "\"}";

        HttpResponse r = asService("POST", CREATE, big);

        assertThat(r.status()).isEqualTo(413);
        assertThat(errorCode(r)).isEqualTo("PAYLOAD_TOO_LARGE");
    }

    @Test
    void answersARetryWithTheSameIdempotencyKeyWithTheSameIdsAndSendsNothingTwice() throws Exception {
        FakeSession alice = tab("alice");
        String body = "{\"type\":\"t\",\"recipients\":[\"alice\"],\"title\":\"Once\"}";

        JsonNode first = json(asService("POST", CREATE, Map.of(), Map.of("idempotency-key", "k-1"), body));
        HttpResponse retry = asService("POST", CREATE, Map.of(), Map.of("idempotency-key", "k-1"), body);

        assertThat(retry.status()).isEqualTo(202);
        assertThat(json(retry).get("ids")).isEqualTo(first.get("ids"));
        assertThat(json(retry).get("replayed").asBoolean()).isTrue();
        assertThat(alice.sent(LiveNotifier.NOTIFICATION)).hasSize(1);
        assertThat(json(asService("GET", CREATE, query("userId", "alice"), Map.of(), null))
                .get("pagination").get("total").asInt()).isEqualTo(1);
    }

    @Test
    void takesTheIdempotencyKeyFromTheBodyAsWell() throws Exception {
        String body = "{\"type\":\"t\",\"recipients\":[\"alice\"],\"title\":\"Once\",\"idempotencyKey\":\"k-2\"}";

        JsonNode first = json(asService("POST", CREATE, body));
        JsonNode retryWithHeaderToo = json(asService("POST", CREATE, Map.of(), Map.of("idempotency-key", "k-2"), body));

        assertThat(retryWithHeaderToo.get("ids")).isEqualTo(first.get("ids"));
    }

    @Test
    void refusesABodyKeyThatDiffersFromTheHeader() throws Exception {
        HttpResponse r = asService("POST", CREATE, Map.of(), Map.of("idempotency-key", "k-3"),
                "{\"type\":\"t\",\"recipients\":[\"a\"],\"title\":\"t\",\"idempotencyKey\":\"other\"}");

        assertThat(r.status()).isEqualTo(400);
        assertThat(errorMessage(r)).startsWith("idempotencyKey:");
    }

    @Test
    void refusesAnIdempotencyKeyReusedForADifferentRequestWith409() throws Exception {
        asService("POST", CREATE, Map.of(), Map.of("idempotency-key", "k-4"), "{\"type\":\"t\",\"recipients\":[\"a\"],\"title\":\"one\"}");

        HttpResponse r = asService("POST", CREATE, Map.of(), Map.of("idempotency-key", "k-4"),
                "{\"type\":\"t\",\"recipients\":[\"a\"],\"title\":\"two\"}");

        assertThat(r.status()).isEqualTo(409);
        assertThat(errorCode(r)).isEqualTo("CONFLICT");
    }

    @Test
    void acceptsAServiceJwtAsWellAsAnApiKey() throws Exception {
        HttpResponse r = handle("POST", CREATE, Map.of(), serviceToken("billing"), Map.of(),
                "{\"type\":\"t\",\"recipients\":[\"a\"],\"title\":\"t\"}").orElseThrow();

        assertThat(r.status()).isEqualTo(202);
    }

    @Test
    void refusesAUserTokenOnServiceRoutesWith403() throws Exception {
        String token = userToken("alice");

        HttpResponse create = handle("POST", CREATE, Map.of(), token, Map.of(), "{\"type\":\"t\",\"recipients\":[\"alice\"],\"title\":\"t\"}").orElseThrow();
        HttpResponse bulk = handle("POST", CREATE + "/bulk", Map.of(), token, Map.of(), "{\"notifications\":[]}").orElseThrow();
        HttpResponse erase = handle("DELETE", "/api/v1/users/alice", Map.of(), token, Map.of(), null).orElseThrow();

        assertThat(List.of(create.status(), bulk.status(), erase.status())).containsOnly(403);
        assertThat(errorCode(create)).isEqualTo("FORBIDDEN");
    }

    @Test
    void refusesAnAdminTokenOnServiceRoutesWith403() throws Exception {
        String admin = new TokenIssuer(jwt, clock).issue("root", "team", List.of("admin"), List.of(), Duration.ofHours(1));

        HttpResponse create = handle("POST", CREATE, Map.of(), admin, Map.of(), "{\"type\":\"t\",\"recipients\":[\"bob\"],\"title\":\"t\"}").orElseThrow();
        HttpResponse otherInbox = handle("GET", CREATE, query("userId", "bob"), admin, Map.of(), null).orElseThrow();

        assertThat(List.of(create.status(), otherInbox.status())).containsOnly(403);
    }

    @Test
    void refusesMissingOrUnknownCredentialsWith401() throws Exception {
        HttpResponse none = handle("POST", CREATE, Map.of(), null, Map.of(), "{}").orElseThrow();
        HttpResponse unknown = handle("POST", CREATE, Map.of(), "not-a-key-of-ours-0123", Map.of(), "{}").orElseThrow();

        assertThat(none.status()).isEqualTo(401);
        assertThat(errorCode(none)).isEqualTo("UNAUTHENTICATED");
        assertThat(unknown.status()).isEqualTo(401);
    }

    @Test
    void createsEveryGoodBulkItemAndReportsEachBadOneByIndex() throws Exception {
        FakeSession alice = tab("alice");

        HttpResponse r = asService("POST", CREATE + "/bulk", """
                {"notifications":[
                  {"type":"t","recipients":["alice"],"title":"one"},
                  {"recipients":["alice"],"title":"no type"},
                  "not an object",
                  {"type":"t","recipients":["alice"],"title":"three"}]}""");

        assertThat(r.status()).isEqualTo(202);
        JsonNode body = json(r);
        assertThat(body.get("accepted").asInt()).isEqualTo(2);
        assertThat(body.get("failed").asInt()).isEqualTo(2);
        JsonNode results = body.get("results");
        assertThat(results.get(0).get("ids")).hasSize(1);
        assertThat(results.get(1).get("index").asInt()).isEqualTo(1);
        assertThat(results.get(1).get("error").get("code").asText()).isEqualTo("INVALID_ARGUMENT");
        assertThat(results.get(1).get("error").get("message").asText()).startsWith("type:");
        assertThat(results.get(2).get("error").get("code").asText()).isEqualTo("INVALID_ARGUMENT");
        assertThat(results.get(3).get("ids")).hasSize(1);
        assertThat(alice.sent(LiveNotifier.NOTIFICATION)).hasSize(2);
    }

    @Test
    void replaysAWholeBulkRetriedWithTheSameIdempotencyKey() throws Exception {
        FakeSession alice = tab("alice");
        String body = "{\"notifications\":[{\"type\":\"t\",\"recipients\":[\"alice\"],\"title\":\"a\"},"
                + "{\"type\":\"t\",\"recipients\":[\"alice\"],\"title\":\"b\"}]}";

        JsonNode first = json(asService("POST", CREATE + "/bulk", Map.of(), Map.of("idempotency-key", "batch-1"), body));
        JsonNode retry = json(asService("POST", CREATE + "/bulk", Map.of(), Map.of("idempotency-key", "batch-1"), body));

        assertThat(retry.get("results").get(0).get("ids")).isEqualTo(first.get("results").get(0).get("ids"));
        assertThat(retry.get("results").get(1).get("ids")).isEqualTo(first.get("results").get(1).get("ids"));
        assertThat(retry.get("results").get(1).get("replayed").asBoolean()).isTrue();
        assertThat(alice.sent(LiveNotifier.NOTIFICATION)).hasSize(2);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"{}", "{\"notifications\":{}}", "{\"notifications\":[]}", "{\"items\":[{}]}"})
    void refusesABadBulkEnvelopeWith400(String body) throws Exception {
        HttpResponse r = asService("POST", CREATE + "/bulk", body);

        assertThat(r.status()).isEqualTo(400);
        assertThat(errorCode(r)).isEqualTo("INVALID_ARGUMENT");
    }

    @Test
    void refusesABulkOfMoreThanAThousandItems() throws Exception {
        String items = String.join(",", java.util.Collections.nCopies(NotificationsHttpService.MAX_BULK_ITEMS + 1, "{}"));

        HttpResponse r = asService("POST", CREATE + "/bulk", "{\"notifications\":[" + items + "]}");

        assertThat(r.status()).isEqualTo(400);
        assertThat(errorMessage(r)).startsWith("notifications:");
    }

    @Test
    void erasesEverythingStoredAboutAUser() throws Exception {
        create("alice");
        create("alice");
        String bobs = create("bob");

        HttpResponse r = asService("DELETE", "/api/v1/users/alice", null);

        assertThat(r.status()).isEqualTo(200);
        assertThat(json(r).get("erased").asInt()).isEqualTo(2);
        assertThat(json(asService("GET", CREATE, query("userId", "alice"), Map.of(), null)).get("notifications")).isEmpty();
        assertThat(asService("GET", CREATE + "/" + bobs, query("userId", "bob"), Map.of(), null).status()).isEqualTo(200);
    }
}
