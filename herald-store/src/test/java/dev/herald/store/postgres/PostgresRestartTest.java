package dev.herald.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.notification.Notification;
import dev.herald.core.notification.NotificationIds;
import dev.herald.core.notification.NotificationStatus;
import dev.herald.core.notification.Priority;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PostgresRestartTest {
    private final String schema = TestPostgres.uniqueSchema();

    @AfterEach
    void drop() {
        TestPostgres.dropSchema(schema);
    }

    @Test
    void keepsTheInboxAcrossARestartAndMigratesOnlyOnce() {
        Instant now = Instant.parse("2026-03-01T10:00:00Z");
        Notification n = new Notification(new NotificationIds().next(now), "u1", null, null, null, "t", "hello", "",
                "general", Priority.URGENT, NotificationStatus.PENDING, "{\"a\":[1,2]}", now, null, null, null, null);
        try (var first = PostgresNotificationStore.open(TestPostgres.URL, schema, 2)) {
            first.notifications().saveAll(List.of(n), null, now);
        }

        try (var second = PostgresNotificationStore.open(TestPostgres.URL, schema, 2)) {
            assertThat(second.inbox().find("u1", n.id(), now)).contains(n);
        }
    }
}
