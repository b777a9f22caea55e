package dev.herald.gateway.engineio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.gateway.GatewayServer;
import dev.herald.gateway.conformance.ConformanceServer;
import dev.herald.gateway.testing.FakeAuthenticator;
import dev.herald.gateway.testing.RawWebSocket;
import dev.herald.gateway.testing.RecordingSessionHandler;
import dev.herald.gateway.testing.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Engine.IO over real sockets: raw binary frames, maxPayload, the upgrade timeout. */
class EngineIoWebSocketTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private GatewayServer server;
    private String ws;
    private String polling;

    @BeforeEach
    void start() throws Exception {
        server = new GatewayServer(ConformanceServer.config(0).withUpgradeTimeout(Duration.ofMillis(300))
                .withHeartbeat(Duration.ofSeconds(5), Duration.ofSeconds(5)),
                new FakeAuthenticator(), new RecordingSessionHandler(), List.of(), Clock.systemUTC());
        server.mountEngineIo("/engine.io/", ConformanceServer.ENGINE_ECHO).start();
        ws = "ws://127.0.0.1:" + server.port() + "/engine.io/?EIO=4&transport=websocket";
        polling = "http://127.0.0.1:" + server.port() + "/engine.io/?EIO=4&transport=polling";
    }

    @AfterEach
    void stop() {
        server.shutdown(Duration.ofSeconds(2));
    }

    private String openPolling() throws Exception {
        String open = http.send(HttpRequest.newBuilder(URI.create(polling)).build(), HttpResponse.BodyHandlers.ofString()).body();
        return JSON.readTree(open.substring(1)).get("sid").asText();
    }

    private int poll(String sid) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(polling + "&sid=" + sid)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void opensAWebSocketSessionWithoutUpgrades() throws Exception {
        try (WsClient c = WsClient.connect(ws)) {
            assertThat(JSON.readTree(c.nextText().substring(1)).get("upgrades")).isEmpty();
        }
    }

    @Test
    void echoesBinaryAsARawFrameWithoutTypeByte() {
        try (WsClient c = WsClient.connect(ws)) {
            c.nextText();
            c.send(new byte[]{1, 2, 3, 4});

            assertThat(c.nextBinary()).containsExactly(1, 2, 3, 4);
        }
    }

    @Test
    void closesTheSessionOnAFrameOverMaxPayload() {
        try (WsClient c = WsClient.connect(ws)) {
            c.nextText();
            c.send("4" + "x".repeat(1_000_001));

            assertThat(c.awaitClose().code()).isEqualTo(1009);
        }
        await().until(() -> server.metrics().activeConnections() == 0);
    }

    @Test
    void closesTheSessionOfAPollingPostOverMaxPayload() throws Exception {
        String sid = openPolling();

        var res = http.send(HttpRequest.newBuilder(URI.create(polling + "&sid=" + sid))
                .POST(HttpRequest.BodyPublishers.ofString("4" + "x".repeat(1_000_001))).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(res.statusCode()).isEqualTo(413);
        await().until(() -> poll(sid) == 400);
    }

    @Test
    void dropsAProbeThatNeverCompletesAndKeepsPolling() throws Exception {
        String sid = openPolling();
        try (WsClient probe = WsClient.connect(ws + "&sid=" + sid)) {
            probe.send("2probe");
            assertThat(probe.nextText()).isEqualTo("3probe");

            probe.awaitClose();
        }
        http.send(HttpRequest.newBuilder(URI.create(polling + "&sid=" + sid))
                .POST(HttpRequest.BodyPublishers.ofString("4still here")).build(), HttpResponse.BodyHandlers.ofString());
        String body = http.send(HttpRequest.newBuilder(URI.create(polling + "&sid=" + sid)).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(body).isEqualTo("4still here");
    }

    @Test
    void closesTheSessionWhenTheClientSendsClose() {
        try (WsClient c = WsClient.connect(ws)) {
            c.nextText();
            c.send("1");
            c.awaitClose();
        }
        await().until(() -> server.metrics().activeConnections() == 0);
    }

    @Test
    void closesWith1007OnATextFrameThatIsNotUtf8() throws Exception {
        try (RawWebSocket client = new RawWebSocket(server.port(), "/engine.io/?EIO=4&transport=websocket", 65536)) {
            client.sendTextBytes(new byte[]{'4', (byte) 0xC3, (byte) 0x28});

            List<RawWebSocket.Frame> frames = client.readUntilClose(5000);

            assertThat(frames).isNotNull();
            assertThat(frames.getLast().closeCode()).isEqualTo(1007);
        }
    }
}
