package dev.herald.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.server.Herald;
import dev.herald.server.config.Env;
import dev.herald.server.config.HeraldConfig;
import io.nats.client.JetStream;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NATS JetStream ingestion through a whole Herald (NATS_INGEST=true) on the embedded store, against
 * the real NATS server: the stream is made first, as an operator would, and messages are published
 * as seed 004's services publish them (with a Nats-Msg-Id). Stored rows are read straight from the
 * SQLite file, not through Herald.
 */
class JetStreamIngestEndToEndTest {
    @TempDir
    Path dataDir;

    private final TestNats nats = new TestNats();
    private Herald herald;

    JetStreamIngestEndToEndTest() throws Exception {}

    @AfterEach
    void stop() throws Exception {
        if (herald != null) herald.close();
        nats.close();
    }

    private void startHerald() {
        Map<String, String> env = new HashMap<>(Map.of("SOCKETIO_PORT", "0", "ENABLE_GRPC", "false", "HOST", "127.0.0.1",
                "HERALD_DATA_DIR", dataDir.toString(), "JWT_SECRET", "0123456789abcdef0123456789abcdef-test",
                "NATS_URL", nats.url, "NATS_INGEST", "true", "NATS_STREAM", nats.stream, "NATS_DLQ_PREFIX", nats.dlqPrefix));
        env.put("NATS_SUBJECTS", nats.prefix + ".>");
        herald = Herald.start(HeraldConfig.from(new Env(env)), Clock.systemUTC());
    }

    private static Message message(String subject, String msgId, String body) {
        Headers h = new Headers();
        if (msgId != null) h.put("Nats-Msg-Id", msgId);
        return NatsMessage.builder().subject(subject).headers(h).data(body.getBytes(StandardCharsets.UTF_8)).build();
    }

    private static String create(String recipient, String title) {
        return "{\"recipients\":[\"" + recipient + "\"],\"type\":\"order\",\"title\":\"" + title + "\",\"priority\":\"high\"}";
    }

    private long count(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("herald.db"));
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private ConsumerInfo consumer() throws Exception {
        return nats.connection.jetStreamManagement().getConsumerInfo(nats.stream, "herald");
    }

    @Test
    void fiveThousandMessagesPublishedWhileHeraldIsDownAreAllStoredOnceAfterItStarts() throws Exception {
        nats.createStream(nats.stream, nats.prefix + ".>");
        JetStream js = nats.connection.jetStream();
        List<CompletableFuture<PublishAck>> acks = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            acks.add(js.publishAsync(message(nats.prefix + ".orders", "order-" + i, create("user-" + (i % 50), "order " + i))));
        }
        for (CompletableFuture<PublishAck> a : acks) assertThat(a.get().isDuplicate()).isFalse();

        startHerald();

        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(count("SELECT count(*) FROM notifications WHERE recipient_id LIKE 'user-%'")).isEqualTo(5000));
        assertThat(count("SELECT count(DISTINCT title) FROM notifications")).isEqualTo(5000);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            ConsumerInfo info = consumer();
            assertThat(info.getNumPending()).isZero();
            assertThat(info.getNumAckPending()).isZero();
        });
        assertThat(count("SELECT count(*) FROM ingest_dead_letters")).isZero();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(metrics())
                .contains("notifications_ingest_lag{consumer=\"herald\",source=\"nats\"} 0.0")
                .contains("herald_ingest_stored_total{source=\"nats\"} 5000.0"));
    }

    private String metrics() throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + herald.clientPort() + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void aRedeliveredMessageWithTheSameNatsMsgIdIsStoredOnce() throws Exception {
        // A tiny duplicate window, so the stream itself takes the second copy: only Herald can dedupe it.
        nats.connection.jetStreamManagement().addStream(io.nats.client.api.StreamConfiguration.builder().name(nats.stream)
                .subjects(nats.prefix + ".>").storageType(io.nats.client.api.StorageType.Memory)
                .duplicateWindow(Duration.ofMillis(100)).build());
        startHerald();
        JetStream js = nats.connection.jetStream();
        js.publish(message(nats.prefix + ".orders", "same-id", create("ann", "once")));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(count("SELECT count(*) FROM notifications WHERE recipient_id = 'ann'")).isEqualTo(1));

        await().atMost(Duration.ofSeconds(10)).until(() ->
                !js.publish(message(nats.prefix + ".orders", "same-id", create("ann", "once"))).isDuplicate());
        js.publish(message(nats.prefix + ".orders", "marker", create("bob", "marker")));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(count("SELECT count(*) FROM notifications WHERE recipient_id = 'bob'")).isEqualTo(1);
            assertThat(consumer().getNumAckPending()).isZero();
            assertThat(consumer().getNumPending()).isZero();
        });
        assertThat(count("SELECT count(*) FROM notifications WHERE recipient_id = 'ann'")).isEqualTo(1);
        assertThat(nats.connection.jetStreamManagement().getStreamInfo(nats.stream).getStreamState().getMsgCount()).isEqualTo(3);
    }

    @Test
    void aPoisonMessageIsDeadLetteredAfterOneTryWithItsReasonAndOnTheDlqSubject() throws Exception {
        nats.createStream(nats.stream, nats.prefix + ".>");
        Subscription dlq = nats.connection.subscribe(nats.dlqPrefix + ">");
        nats.connection.flush(Duration.ofSeconds(5));
        startHerald();
        JetStream js = nats.connection.jetStream();

        js.publish(message(nats.prefix + ".orders", "bad-json", "{\"recipients\": [\"ann\""));
        js.publish(message(nats.prefix + ".orders", "no-type", "{\"recipients\":[\"ann\"],\"title\":\"x\"}"));
        js.publish(message(nats.prefix + ".orders", "no-email", "{\"recipients\":[\"ann\"],\"type\":\"t\",\"title\":\"x\",\"channels\":[\"email\"]}"));
        js.publish(message(nats.prefix + ".orders", "good", create("ann", "good")));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(count("SELECT count(*) FROM ingest_dead_letters WHERE source = 'nats'")).isEqualTo(3));
        Map<String, String> reasons = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("herald.db"));
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT message_key, reason, subject FROM ingest_dead_letters")) {
            while (rs.next()) {
                reasons.put(rs.getString(1), rs.getString(2));
                assertThat(rs.getString(3)).isEqualTo(nats.prefix + ".orders");
            }
        }
        assertThat(reasons).containsEntry("bad-json", "INVALID_ARGUMENT: not JSON (21 bytes)")
                .containsEntry("no-type", "INVALID_ARGUMENT: type: required");
        assertThat(reasons.get("no-email")).startsWith("CHANNEL_NOT_CONFIGURED: ");
        assertThat(count("SELECT count(*) FROM notifications WHERE recipient_id = 'ann'")).isEqualTo(1);

        List<String> dead = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Message m = dlq.nextMessage(Duration.ofSeconds(10));
            assertThat(m).isNotNull();
            assertThat(m.getSubject()).isEqualTo(nats.dlqPrefix + nats.prefix + ".orders");
            dead.add(m.getHeaders().getFirst("Herald-Original-Msg-Id") + " " + m.getHeaders().getFirst("Herald-Dead-Reason"));
        }
        assertThat(dead).contains("no-type INVALID_ARGUMENT: type: required");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            ConsumerInfo info = consumer();
            assertThat(info.getNumAckPending()).isZero();
            // Terminated at the first delivery: nothing was delivered twice.
            assertThat(info.getRedelivered()).isZero();
        });
    }

    @Test
    void aMissingStreamStopsTheStartUnlessHeraldMayCreateIt() throws Exception {
        org.assertj.core.api.Assertions.assertThatThrownBy(this::startHerald)
                .hasMessageContaining("JetStream stream " + nats.stream + " does not exist")
                .hasMessageContaining("NATS_CREATE_STREAM=true");
        herald = null;
    }
}
