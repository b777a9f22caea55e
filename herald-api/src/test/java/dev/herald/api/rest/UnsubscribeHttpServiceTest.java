package dev.herald.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.http.HttpRequest;
import dev.herald.core.http.HttpResponse;
import dev.herald.core.inbox.UnsubscribeLinks;
import dev.herald.core.inbox.UserSettings;
import dev.herald.core.memory.MemoryNotificationStore;
import dev.herald.core.notification.Channel;
import dev.herald.core.notification.WebhookUrls;
import dev.herald.core.store.Storage;
import dev.herald.core.testing.MutableClock;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UnsubscribeHttpServiceTest {
    private final Storage storage = new MemoryNotificationStore().storage();
    private final UserSettings settings = new UserSettings(storage.preferences(), storage.contacts(), WebhookUrls.httpsOnly(),
            MutableClock.at("2026-03-10T08:00:00Z"));
    private final UnsubscribeLinks links = new UnsubscribeLinks(URI.create("https://notify.example.com"),
            "unsubscribe-test-secret-0123456789ab".getBytes(StandardCharsets.UTF_8));
    private final UnsubscribeHttpService service = new UnsubscribeHttpService(links, settings);

    private HttpResponse call(String method, String token, String body) {
        return service.handle(new HttpRequest(method, UnsubscribeLinks.PATH + token, Map.of(),
                Map.of("content-type", "application/x-www-form-urlencoded"),
                body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), "127.0.0.1")).orElseThrow();
    }

    private static String text(HttpResponse r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void aOneClickPostSwitchesTheTypeByEmailOffAndNothingElse() {
        HttpResponse r = call("POST", links.token("ada", "marketing"), "List-Unsubscribe=One-Click");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("text/html");
        assertThat(settings.preferences("ada").allows("marketing", Channel.EMAIL)).isFalse();
        assertThat(settings.preferences("ada").allows("marketing", Channel.PUSH)).isTrue();
        assertThat(settings.preferences("ada").allows("payment", Channel.EMAIL)).isTrue();
    }

    @Test
    void theGetPageAsksAndChangesNothing() {
        HttpResponse r = call("GET", links.token("ada", "marketing"), null);

        assertThat(r.status()).isEqualTo(200);
        assertThat(text(r)).contains("<form method=\"post\">").contains("<b>marketing</b>");
        assertThat(settings.preferences("ada").allows("marketing", Channel.EMAIL)).isTrue();
    }

    @Test
    void aForgedTokenIsNotFoundAndChangesNothing() {
        String[] parts = links.token("ada", "marketing").split("\\.");
        String forBo = links.token("bo", "marketing").split("\\.")[0] + "." + parts[1] + "." + parts[2];

        assertThat(call("POST", forBo, "List-Unsubscribe=One-Click").status()).isEqualTo(404);
        assertThat(call("GET", "garbage", null).status()).isEqualTo(404);
        assertThat(settings.preferences("bo").allows("marketing", Channel.EMAIL)).isTrue();
    }

    @Test
    void aTypeIsEscapedInThePage() {
        HttpResponse r = call("GET", links.token("ada", "<script>x</script>"), null);

        assertThat(text(r)).doesNotContain("<script>").contains("&lt;script&gt;");
    }

    @Test
    void otherPathsAreNotItsOwn() {
        assertThat(service.handle(new HttpRequest("GET", "/api/v1/notifications", Map.of(), Map.of(), new byte[0], "127.0.0.1")))
                .isEmpty();
        assertThat(List.of(service.routes().size())).containsExactly(2);
    }
}
