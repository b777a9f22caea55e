package dev.herald.channels.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookConfigTest {
    private static final String SECRET = "whsec_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=";

    @Test
    void isOffWithoutASigningSecret() {
        assertThat(WebhookConfig.read(Map.<String, String>of()::get)).isEmpty();
    }

    @Test
    void defaultsToHttpsOnlyAndTenSecondsToAnswer() {
        WebhookConfig config = WebhookConfig.read(Map.of("WEBHOOK_SIGNING_SECRET", SECRET)::get).orElseThrow();

        assertThat(config.allowHttpLoopback()).isFalse();
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.userAgent()).startsWith("Herald/");
        assertThat(config.deliveryWebhookUrl()).isEmpty();
    }

    @Test
    void readsEveryVariable() {
        WebhookConfig config = WebhookConfig.read(Map.of("WEBHOOK_SIGNING_SECRET", SECRET,
                "ALLOW_HTTP_WEBHOOKS", "true", "WEBHOOK_TIMEOUT_SECONDS", "3",
                "DELIVERY_WEBHOOK_URL", "http://backend:8080/herald/status")::get).orElseThrow();

        assertThat(config.allowHttpLoopback()).isTrue();
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.deliveryWebhookUrl()).contains(URI.create("http://backend:8080/herald/status"));
    }

    @Test
    void refusesStatusCallbacksWithoutASecretToSignThem() {
        assertThatThrownBy(() -> WebhookConfig.read(Map.of("DELIVERY_WEBHOOK_URL", "https://backend/status")::get))
                .isInstanceOf(InvalidSetting.class)
                .hasMessageStartingWith("DELIVERY_WEBHOOK_URL ")
                .hasMessageContaining("WEBHOOK_SIGNING_SECRET");
    }

    @Test
    void refusesATimeoutOutOfRangeNamingTheVariable() {
        assertThatThrownBy(() -> WebhookConfig.read(Map.of("WEBHOOK_SIGNING_SECRET", SECRET,
                "WEBHOOK_TIMEOUT_SECONDS", "0")::get))
                .isInstanceOf(InvalidSetting.class)
                .extracting(e -> ((InvalidSetting) e).variable()).isEqualTo("WEBHOOK_TIMEOUT_SECONDS");
    }

    @Test
    void refusesACallbackUrlThatIsNotHttp() {
        assertThatThrownBy(() -> WebhookConfig.read(Map.of("WEBHOOK_SIGNING_SECRET", SECRET,
                "DELIVERY_WEBHOOK_URL", "backend/status")::get))
                .isInstanceOf(InvalidSetting.class)
                .hasMessageStartingWith("DELIVERY_WEBHOOK_URL ");
    }
}
