package dev.herald.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeliverySettingsTest {
    private static final String SECRET = "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3";

    @Test
    void leasesOutboxRowsForSixtySecondsByDefault() {
        assertThat(DeliverySettings.from(new Env(Map.of())).lease()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void readsTheLeaseFromDeliveryLeaseSeconds() {
        DeliverySettings d = DeliverySettings.from(new Env(Map.of("DELIVERY_LEASE_SECONDS", "12",
                "WEBHOOK_SIGNING_SECRET", SECRET, "WEBHOOK_TIMEOUT_SECONDS", "5")));

        assertThat(d.lease()).isEqualTo(Duration.ofSeconds(12));
    }

    @Test
    void refusesALeaseThatAWebhookSendCouldOutlast() {
        // 5 s to answer plus 5 s to connect: a 10 s lease could lapse while the node still waits.
        assertThatThrownBy(() -> DeliverySettings.from(new Env(Map.of("DELIVERY_LEASE_SECONDS", "10",
                "WEBHOOK_SIGNING_SECRET", SECRET, "WEBHOOK_TIMEOUT_SECONDS", "5"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("DELIVERY_LEASE_SECONDS")
                .hasMessageContaining("WEBHOOK_TIMEOUT_SECONDS");
    }

    @Test
    void refusesALeaseThatIsNotAWholePositiveNumberOfSeconds() {
        assertThatThrownBy(() -> DeliverySettings.from(new Env(Map.of("DELIVERY_LEASE_SECONDS", "0"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("DELIVERY_LEASE_SECONDS");
    }

    @Test
    void outlastsALongWebhookTimeoutWhenNoLeaseIsSet() {
        DeliverySettings d = DeliverySettings.from(new Env(Map.of("WEBHOOK_SIGNING_SECRET", SECRET,
                "WEBHOOK_TIMEOUT_SECONDS", "120")));

        assertThat(d.lease()).isEqualTo(Duration.ofSeconds(250));
    }
}
