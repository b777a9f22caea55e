package dev.herald.server.ingest;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.IOException;
import java.util.UUID;

/**
 * The shared NATS (NATS_URL, or 127.0.0.1:4222) and per-test isolation: a stream name and a
 * subject prefix no other run uses, deleted afterwards.
 */
final class TestNats implements AutoCloseable {
    final String url = System.getenv().getOrDefault("NATS_URL", "nats://127.0.0.1:4222");
    final String id = UUID.randomUUID().toString().substring(0, 8);
    /** Stands for {@code notifications} in this test's subjects. */
    final String prefix = "t" + id + ".notifications";
    final String stream = "T" + id + "_NOTIFICATIONS";
    final String dlqPrefix = prefix + ".dlq.";
    final Connection connection;

    TestNats() throws IOException, InterruptedException {
        connection = Nats.connect(url);
    }

    /** The stream as an operator would make it before Herald runs (memory storage: tests only). */
    void createStream(String name, String... subjects) throws IOException, JetStreamApiException {
        connection.jetStreamManagement().addStream(StreamConfiguration.builder().name(name).subjects(subjects)
                .storageType(StorageType.Memory).build());
    }

    @Override
    public void close() throws Exception {
        JetStreamManagement jsm = connection.jetStreamManagement();
        for (String name : jsm.getStreamNames()) {
            if (name.startsWith("T" + id)) jsm.deleteStream(name);
        }
        connection.close();
    }
}
