package dev.herald.bench.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.notification.Notification;
import dev.herald.core.notification.NotificationPayload;
import dev.herald.core.notification.NotificationStatus;
import dev.herald.core.notification.Priority;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How a worker classifies what Herald sends around a stored notification: the pipeline scenario
 * counts {@code "notification"} frames and reads the stamp from the notification's {@code data}.
 */
class FramesTest {
    private static final ByteBuf NOTIFICATION = Unpooled.copiedBuffer("\"notification\"", StandardCharsets.UTF_8);

    /** Herald's own serialisation of a stored notification whose data carries the bench stamp. */
    private static String heraldNotification(String data) {
        return NotificationPayload.toJson(new Notification("0190a7b2-0000-7000-8000-000000000001", "u7", null, null, null,
                "bench", "Bench", "Notification 3", "general", Priority.MEDIUM, NotificationStatus.PENDING, data,
                Instant.parse("2026-11-24T10:00:00Z"), null, null, null, null));
    }

    private static ByteBuf frame(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }

    @Test
    void countsTheNotificationEventOnBothProtocols() {
        String payload = heraldNotification("{\"seq\":3,\"ts\":123456789}");

        assertThat(Frames.hasMarker(frame("42[\"notification\"," + payload + "]"), NOTIFICATION, 64)).isTrue();
        assertThat(Frames.hasMarker(frame("{\"event\":\"notification\",\"data\":" + payload + "}"), NOTIFICATION, 64)).isTrue();
    }

    @Test
    void ignoresPendingAndStatusEventsThatMentionNotifications() {
        String pending = "{\"notifications\":[" + heraldNotification("{}") + "],\"hasMore\":false}";
        String status = NotificationPayload.status("0190a7b2-0000-7000-8000-000000000001", "read", Instant.parse("2026-11-24T10:00:00Z"));
        String readAll = NotificationPayload.readAll(List.of("0190a7b2-0000-7000-8000-000000000001"), Instant.parse("2026-11-24T10:00:00Z"));

        for (String f : List.of("42[\"notifications:pending\"," + pending + "]", "42[\"notificationStatus\"," + status + "]",
                "42[\"notificationStatus\"," + readAll + "]", "{\"event\":\"notifications:pending\",\"data\":" + pending + "}")) {
            assertThat(Frames.hasMarker(frame(f), NOTIFICATION, 64)).as(f).isFalse();
        }
    }

    @Test
    void readsTheStampFromTheDataOfAStoredNotification() {
        String payload = heraldNotification("{\"seq\":3,\"ts\":123456789}");

        assertThat(payload).contains("\"timestamp\":");
        assertThat(Frames.stamp(frame("42[\"notification\"," + payload + "]"))).isEqualTo(123456789L);
    }

    @Test
    void readsAStampWrittenBackByJsonbWithASpaceAfterTheColon() {
        assertThat(Frames.stamp(frame("42[\"notification\",{\"id\":\"x\",\"data\":{\"ts\": 987654321, \"seq\": 3}}]"))).isEqualTo(987654321L);
    }
}
