package dev.herald.channels.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WebhookUrlsTest {
    @Test
    void callsHttpsToAnyHost() {
        assertThat(WebhookUrls.refusal("https://hooks.slack.com/services/T0/B0/xyz", false)).isNull();
    }

    @Test
    void refusesHttpToLoopbackUnlessAllowed() {
        assertThat(WebhookUrls.refusal("http://127.0.0.1:8080/hook", false)).contains("https only");
    }

    @Test
    void callsHttpToEveryLoopbackFormWhenAllowed() {
        assertThat(WebhookUrls.refusal("http://127.0.0.1:8080/hook", true)).isNull();
        assertThat(WebhookUrls.refusal("http://127.9.8.7/hook", true)).isNull();
        assertThat(WebhookUrls.refusal("http://localhost:8080/hook", true)).isNull();
        assertThat(WebhookUrls.refusal("http://[::1]:8080/hook", true)).isNull();
    }

    @Test
    void refusesHttpToANonLoopbackHostEvenWhenAllowed() {
        assertThat(WebhookUrls.refusal("http://10.0.0.5/hook", true)).contains("loopback address only");
        assertThat(WebhookUrls.refusal("http://127.0.0.1.nip.io/hook", true)).contains("loopback address only");
        assertThat(WebhookUrls.refusal("http://example.com/hook", true)).contains("loopback address only");
    }

    @Test
    void refusesOtherSchemesRelativeUrlsAndCredentials() {
        assertThat(WebhookUrls.refusal("ftp://example.com/hook", true)).contains("https");
        assertThat(WebhookUrls.refusal("/hook", true)).contains("absolute");
        assertThat(WebhookUrls.refusal("https://user:pass@example.com/hook", true)).contains("credentials");
        assertThat(WebhookUrls.refusal("https://exa mple.com", true)).isEqualTo("not a valid url");
    }

    @Test
    void neverEchoesTheUrlInARefusal() {
        assertThat(WebhookUrls.refusal("http://example.com/T0/B0/secret-token", false)).doesNotContain("secret-token");
    }
}
