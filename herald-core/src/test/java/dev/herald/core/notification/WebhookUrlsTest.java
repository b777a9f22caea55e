package dev.herald.core.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookUrlsTest {
    @Test
    void acceptsAnHttpsUrl() {
        assertThat(WebhookUrls.httpsOnly().check("webhookUrl", "https://hooks.slack.com/services/T0/B0/x").getHost())
                .isEqualTo("hooks.slack.com");
    }

    @Test
    void refusesPlainHttpByDefaultEvenToLoopback() {
        assertThatThrownBy(() -> WebhookUrls.httpsOnly().check("webhookUrl", "http://127.0.0.1:8080/hook"))
                .hasMessage("webhookUrl: must use https");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:9000/hook", "http://127.0.0.1/hook", "http://127.10.0.3:81/", "http://[::1]:8080/x"})
    void acceptsHttpToALoopbackAddressWhenAllowed(String url) {
        assertThat(WebhookUrls.allowingHttpLoopback().accepts(url)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://example.com/hook", "http://10.0.0.1/hook", "http://127.0.0.1.example.com/", "http://128.0.0.1/"})
    void refusesHttpToAnyOtherHostEvenWhenAllowed(String url) {
        assertThatThrownBy(() -> WebhookUrls.allowingHttpLoopback().check("webhookUrl", url))
                .hasMessage("webhookUrl: must use https (http only to a loopback address)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "ftp://example.com/hook              | webhookUrl: must use https",
            "/relative/hook                      | webhookUrl: must be an absolute https URL",
            "https://exa mple.com/               | webhookUrl: must be an absolute https URL",
            "mailto:ops@example.com              | webhookUrl: must be an absolute https URL",
            "https://user:secret@example.com/    | webhookUrl: must not carry credentials",
            "https://example.com/hook#frag       | webhookUrl: must not have a #fragment",
    })
    void refusesWhatIsNotAPlainHttpsUrl(String url, String message) {
        assertThatThrownBy(() -> WebhookUrls.httpsOnly().check("webhookUrl", url)).hasMessageStartingWith(message);
    }

    @Test
    void refusesAnOverlongUrl() {
        assertThatThrownBy(() -> WebhookUrls.httpsOnly().check("webhookUrl", "https://example.com/" + "a".repeat(2100)))
                .hasMessage("webhookUrl: at most 2048 characters");
    }
}
