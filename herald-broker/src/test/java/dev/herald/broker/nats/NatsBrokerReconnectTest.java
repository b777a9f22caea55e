package dev.herald.broker.nats;

import static org.awaitility.Awaitility.await;

import dev.herald.core.route.RoomMessage;
import io.nats.client.Connection;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** NatsBroker across a NATS crash, on a private nats-server this test starts, kills and starts again. */
class NatsBrokerReconnectTest {
    private static final String BINARY = "/usr/sbin/nats-server";
    private Process server;
    private int port;
    private Path log;

    private void launch() throws IOException {
        server = new ProcessBuilder(BINARY, "-a", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).ignoreExceptions().until(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return true;
            }
        });
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null && server.isAlive()) {
            server.destroyForcibly();
            server.waitFor();
        }
    }

    @Test
    void resubscribesItsRoomsAfterNatsRestarts() throws Exception {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        log = Files.createTempFile("herald-nats-", ".log");
        launch();
        NatsConfig config = NatsConfig.fromUrl("nats://127.0.0.1:" + port).withReconnect(Duration.ofMillis(50), Duration.ofMillis(50));
        List<String> received = new CopyOnWriteArrayList<>();
        Connection a = config.connect(), b = config.connect();
        try (NatsBroker listener = new NatsBroker(a); NatsBroker publisher = new NatsBroker(b)) {
            listener.start((room, m) -> received.add(room + "=" + ((RoomMessage.Emit) m).json()));
            publisher.start((room, m) -> {});
            listener.subscribe("team:1");
            a.flush(Duration.ofSeconds(5));

            server.destroyForcibly();
            server.waitFor();
            launch();

            // Core NATS keeps no history: publish until the re-subscribed node hears one.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
                publisher.publish("team:1", new RoomMessage.Emit("e", "\"back\"", Set.of()));
                return received.contains("team:1=\"back\"");
            });
        } finally {
            a.close();
            b.close();
        }
    }
}
