package dev.herald.core.notification;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class NotificationPayloadTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Instant at = Instant.parse("2024-01-15T10:30:00Z");
    private final Notification n = new Notification(new NotificationIds().next(at), "u1", "a1", "order", "o1",
            "order_status", "Order Updated", "Shipped", "orders", Priority.HIGH, NotificationStatus.READ,
            "{\"orderId\":\"12345\"}", at, null, null, at.plusSeconds(5), null);

    @Test
    void writesExactlyTheSocketShape() throws Exception {
        JsonNode o = JSON.readTree(NotificationPayload.toJson(n));

        assertThat(o.fieldNames()).toIterable()
                .containsExactly("id", "type", "title", "message", "channel", "priority", "timestamp", "data", "readAt");
        assertThat(o.get("timestamp").asText()).isEqualTo("2024-01-15T10:30:00Z");
        assertThat(o.get("readAt").asText()).isEqualTo("2024-01-15T10:30:05Z");
        assertThat(o.get("data").get("orderId").asText()).isEqualTo("12345");
    }

    @Test
    void addsStatusAndTimesToTheRestDetail() {
        JsonNode o = NotificationPayload.toDetailNode(n);

        assertThat(o.get("status").asText()).isEqualTo("read");
        assertThat(o.get("createdAt").asText()).isEqualTo("2024-01-15T10:30:00Z");
        assertThat(o.get("actorId").asText()).isEqualTo("a1");
    }
}
