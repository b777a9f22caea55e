package dev.herald.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.inbox.InboxQuery;
import dev.herald.core.notification.Notification;
import dev.herald.core.notification.NotificationIds;
import dev.herald.core.notification.NotificationStatus;
import dev.herald.core.notification.Priority;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteDurabilityTest {
    static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dataDir;

    static Notification note(NotificationIds ids, String user, int i) {
        return new Notification(ids.next(NOW), user, null, null, null, "t", "n" + i, "", "general", Priority.MEDIUM,
                NotificationStatus.PENDING, null, NOW, null, null, null, null);
    }

    @Test
    void keepsTheInboxAcrossACloseAndReopen() {
        Notification n = note(new NotificationIds(), "u1", 1);
        try (var store = SqliteNotificationStore.open(dataDir, 2)) {
            store.notifications().saveAll(List.of(n), null, NOW);
        }

        try (var reopened = SqliteNotificationStore.open(dataDir, 2)) {
            assertThat(reopened.inbox().find("u1", n.id(), NOW)).contains(n);
        }
        assertThat(Files.exists(dataDir.resolve(SqliteNotificationStore.FILE_NAME))).isTrue();
    }

    @Test
    void keepsEveryAcknowledgedWriteWhenTheProcessIsKilled() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Writer.class.getName(), dataDir.toString())
                .redirectErrorStream(true).start();
        int acknowledged = 0;
        try (var out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; acknowledged < 50 && (line = out.readLine()) != null; ) {
                if (line.startsWith("saved ")) acknowledged = Integer.parseInt(line.substring(6));
            }
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no close
            child.waitFor(30, TimeUnit.SECONDS);
        }

        try (var store = SqliteNotificationStore.open(dataDir, 2)) {
            long kept = store.inbox().page(new InboxQuery("victim", 1, 1, false, null, null, NOW)).total();
            assertThat(acknowledged).isEqualTo(50);
            assertThat(kept).isGreaterThanOrEqualTo(acknowledged);
        }
    }

    /** Writes notifications one transaction at a time forever, printing each acknowledged count. */
    public static final class Writer {
        public static void main(String[] args) {
            var store = SqliteNotificationStore.open(Path.of(args[0]), 2);
            NotificationIds ids = new NotificationIds();
            for (int i = 1; ; i++) {
                store.notifications().saveAll(List.of(note(ids, "victim", i)), null, NOW);
                System.out.println("saved " + i);
                System.out.flush();
            }
        }
    }
}
