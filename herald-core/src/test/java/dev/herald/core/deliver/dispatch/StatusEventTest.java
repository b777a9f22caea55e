package dev.herald.core.deliver.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.notification.Channel;
import dev.herald.core.notification.DeliveryStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StatusEventTest {
    private static final Instant AT = Instant.parse("2026-03-10T08:00:00Z");

    @Test
    void namesItsTypeAfterTheStatus() {
        var event = new StatusEvent("d1", "n1", "u1", Channel.WEBHOOK, DeliveryStatus.DEAD, "http 503", 8, AT);

        assertThat(event.type()).isEqualTo("delivery.dead");
    }

    @Test
    void refusesAWaitingStatusBecauseARetryIsNotNews() {
        assertThatThrownBy(() -> new StatusEvent("d1", "n1", "u1", Channel.EMAIL, DeliveryStatus.PENDING, null, 1, AT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pending");
    }
}
