package dev.herald.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a node in the middle of consuming a JetStream backlog (the real NATS server, a stream
 * and subjects unique to the run): the node comes back on the same data, JetStream redelivers what
 * was fetched and never acked, and the store must hold every message exactly once (each has its own
 * Nats-Msg-Id, which is its idempotency key).
 */
class JetStreamKillNineTest {
    private static final int MESSAGES = 3000;
    private static final int KILL_AFTER = 800;

    @TempDir
    Path work;

    private final String run = "js9" + UUID.randomUUID().toString().substring(0, 8);
    private final String stream = "T" + run.toUpperCase();
    private final String subjects = run + ".notifications";
    private final Connection nats = Nats.connect(System.getenv().getOrDefault("NATS_URL", "nats://127.0.0.1:4222"));
    private HeraldProcess node;

    JetStreamKillNineTest() throws Exception {}

    @AfterEach
    void cleanUp() throws Exception {
        if (node != null) node.close();
        try {
            nats.jetStreamManagement().deleteStream(stream);
        } finally {
            nats.close();
        }
    }

    @Test
    void everyMessageIsStoredOnceAfterTheConsumingNodeIsKilledWithKill9() throws Exception {
        JetStreamManagement jsm = nats.jetStreamManagement();
        jsm.addStream(StreamConfiguration.builder().name(stream).subjects(subjects + ".>").storageType(StorageType.File).build());
        JetStream js = nats.jetStream();
        List<CompletableFuture<PublishAck>> acks = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            Headers h = new Headers();
            h.put("Nats-Msg-Id", run + "-" + i);
            String body = "{\"recipients\":[\"" + run + "-u" + (i % 20) + "\"],\"type\":\"order\",\"title\":\"m" + i + "\"}";
            acks.add(js.publishAsync(NatsMessage.builder().subject(subjects + ".orders").headers(h)
                    .data(body.getBytes(StandardCharsets.UTF_8)).build()));
        }
        for (CompletableFuture<PublishAck> a : acks) a.get();
        Path data = work.resolve("js9-data");

        // A short AckWait, so what the killed node fetched and never acked comes back soon.
        node = HeraldProcess.start("js9", work, Map.of("NATS_URL", System.getenv().getOrDefault("NATS_URL", "nats://127.0.0.1:4222"),
                "NATS_INGEST", "true", "NATS_STREAM", stream, "NATS_SUBJECTS", subjects + ".>",
                "NATS_DLQ_PREFIX", subjects + ".dlq.", "NATS_ACK_WAIT_SECONDS", "2"));
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20))
                .until(() -> StoredRows.sqlite(data, run).size() >= KILL_AFTER);
        node.kill9();
        int storedAtKill = StoredRows.sqlite(data, run).size();
        node.restart();

        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            ConsumerInfo info = jsm.getConsumerInfo(stream, "herald");
            assertThat(info.getNumPending()).isZero();
            assertThat(info.getNumAckPending()).isZero();
        });
        List<StoredRows.Row> rows = StoredRows.sqlite(data, run);
        Set<String> titles = new HashSet<>();
        for (StoredRows.Row r : rows) titles.add(r.title());
        System.out.printf("faults: jetstream-kill9 sent=%d stored_at_kill=%d stored=%d distinct=%d%n", MESSAGES, storedAtKill,
                rows.size(), titles.size());
        assertThat(storedAtKill).isLessThan(MESSAGES);
        assertThat(titles).hasSize(MESSAGES);
        assertThat(rows).hasSize(MESSAGES);
    }
}
