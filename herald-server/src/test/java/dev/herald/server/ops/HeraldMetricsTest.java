package dev.herald.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.ErrorCode;
import dev.herald.core.deliver.live.DisconnectReason;
import dev.herald.core.testing.FakeSession;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HeraldMetricsTest {
    private final HeraldMetrics metrics = new HeraldMetrics();

    @Test
    void exposesConnectionGaugesUnderTheSeedNames() {
        FakeSession s = FakeSession.of("u", "t1");
        metrics.connected(s);

        String text = metrics.scrape();

        assertThat(text).contains("notifications_connections 1.0");
        assertThat(text).contains("notifications_connections_by_transport{transport=\"websocket\"} 1.0");
        assertThat(text).contains("notifications_connections_by_team{team_id=\"t1\"} 1.0");
    }

    @Test
    void countsDisconnectionsByReasonAndAuthFailures() {
        FakeSession s = FakeSession.of("u", "t1");
        metrics.connected(s);
        metrics.disconnected(s, DisconnectReason.SLOW_CONSUMER, Duration.ofSeconds(3));
        metrics.refused(ErrorCode.TOKEN_EXPIRED);

        String text = metrics.scrape();

        assertThat(text).contains("notifications_disconnections_total{reason=\"slow_consumer\"} 1.0");
        assertThat(text).contains("notifications_auth_failures_total{code=\"TOKEN_EXPIRED\"} 1.0");
        assertThat(text).contains("notifications_connections 0.0");
        assertThat(text).contains("notifications_connection_duration_seconds_count 1");
    }

    @Test
    void dropsATeamFromConnectionsByTeamOnceItsLastConnectionLeaves() {
        FakeSession a = FakeSession.of("u1", "gone"), b = FakeSession.of("u2", "gone"), other = FakeSession.of("u3", "stays");
        metrics.connected(a);
        metrics.connected(b);
        metrics.connected(other);

        metrics.disconnected(a, DisconnectReason.CLIENT_CLOSED, Duration.ofSeconds(1));
        assertThat(metrics.scrape()).contains("notifications_connections_by_team{team_id=\"gone\"} 1.0");
        metrics.disconnected(b, DisconnectReason.CLIENT_CLOSED, Duration.ofSeconds(1));

        assertThat(metrics.scrape()).doesNotContain("team_id=\"gone\"")
                .contains("notifications_connections_by_team{team_id=\"stays\"} 1.0");
    }

    @Test
    void countsATeamAgainWhenItComesBackAfterLeaving() {
        FakeSession first = FakeSession.of("u1", "back"), again = FakeSession.of("u1", "back");
        metrics.connected(first);
        metrics.disconnected(first, DisconnectReason.CLIENT_CLOSED, Duration.ofSeconds(1));

        metrics.connected(again);

        assertThat(metrics.scrape()).contains("notifications_connections_by_team{team_id=\"back\"} 1.0");
    }

    @Test
    void countsMessagesByEventTypeAndFramesWhereSocketsAcceptedThem() {
        metrics.messageSent("notification");
        metrics.emitted("notification", 40, 3, 1);

        String text = metrics.scrape();

        assertThat(text).contains("notifications_messages_sent_total{event_type=\"notification\"} 1.0");
        assertThat(text).contains("notifications_messages_delivered_total{event_type=\"notification\"} 3.0");
        assertThat(text).contains("websocket_messages_sent_total{event_type=\"notification\"} 3.0");
        assertThat(text).contains("notifications_delivered_total{channel=\"inApp\"} 3.0");
        assertThat(text).contains("notifications_delivery_failures_total{reason=\"session_closed\"} 1.0");
        assertThat(text).contains("websocket_message_size_bytes_count 1");
    }

    @Test
    void writesTheSeedGaugesTheClientRefusesByHand() {
        metrics.rooms(() -> java.util.Map.of("team:a", 3, "user:u1", 1, "room \"x\"", 2));

        String text = metrics.scrape();

        assertThat(text).contains("# TYPE notifications_rooms_total gauge\nnotifications_rooms_total 3\n")
                .contains("notifications_room_members_total{room_id=\"team:a\"} 3\n")
                .contains("notifications_room_members_total{room_id=\"room \\\"x\\\"\"} 2\n")
                .doesNotContain("room_id=\"user:u1\"")
                .contains("# TYPE notifications_connections_total gauge\nnotifications_connections_total 0\n");
    }

    @Test
    void recordsEachRealtimeSendWithItsDuration() {
        metrics.sent("order.shipped", 2, Duration.ofMillis(3));

        String text = metrics.scrape();

        assertThat(text).contains("notifications_messages_sent_total{event_type=\"order.shipped\"} 1.0");
        assertThat(text).contains("notifications_message_delivery_duration_seconds_count 1");
        assertThat(text).contains("websocket_broadcast_duration_seconds_count 1");
    }
}
