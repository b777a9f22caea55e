package dev.herald.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.deliver.live.DisconnectReason;
import dev.herald.core.deliver.live.OutboundEvent;
import dev.herald.core.deliver.live.Session;
import dev.herald.core.deliver.live.Transport;
import dev.herald.gateway.GatewayConfig;
import dev.herald.gateway.GatewayServer;
import dev.herald.gateway.testing.FakeAuthenticator;
import dev.herald.gateway.testing.RawWebSocket;
import dev.herald.gateway.testing.RecordingSessionHandler;
import dev.herald.gateway.testing.WsClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PlainWsTest {
    private final RecordingSessionHandler handler = new RecordingSessionHandler();
    private GatewayServer server;
    private String url;

    private void start(GatewayConfig config) throws Exception {
        server = new GatewayServer(config.withPort(0), new FakeAuthenticator(), handler, List.of(), Clock.systemUTC()).start();
        url = "ws://127.0.0.1:" + server.port() + "/ws";
    }

    private void start() throws Exception {
        start(GatewayConfig.defaults());
    }

    @AfterEach
    void stop() {
        if (server != null) server.shutdown(Duration.ofSeconds(2));
    }

    @Test
    void greetsAClientWithAQueryTokenThroughTheHandler() throws Exception {
        start();
        try (WsClient c = WsClient.connect(url + "?token=user:u1")) {
            assertThat(c.nextText()).startsWith("{\"event\":\"connection_ready\",\"data\":{\"socketId\":");
        }
        // The client aborts: the server may see a clean close or a reset, so either reason is right.
        await().until(() -> handler.calls.stream().anyMatch(call -> call.startsWith("closed:")));
        assertThat(handler.calls).startsWith("open:u1", "ready:u1");
        assertThat(handler.sessions.getFirst().transport()).isEqualTo(Transport.WEBSOCKET);
    }

    @Test
    void acceptsABearerHeader() throws Exception {
        start();
        try (WsClient c = WsClient.connect(url, Map.of("Authorization", "Bearer user:h"))) {
            assertThat(c.nextText()).contains("connection_ready");
        }
    }

    @Test
    void acceptsAnAuthFrameFirst() throws Exception {
        start();
        try (WsClient c = WsClient.connect(url)) {
            c.send("{\"event\":\"auth\",\"data\":{\"token\":\"user:f\"}}");

            assertThat(c.nextText()).contains("connection_ready").contains("\"userId\":\"f\"");
        }
    }

    @Test
    void answersAnEventWithAnIdThroughAnAckFrame() throws Exception {
        start();
        try (WsClient c = WsClient.connect(url + "?token=user:u1")) {
            c.nextText();
            c.send("{\"event\":\"room:join\",\"data\":{\"room\":\"r\"},\"id\":7}");

            assertThat(c.nextText()).isEqualTo("{\"event\":\"ack\",\"id\":7,\"data\":{\"ok\":true,\"echo\":{\"room\":\"r\"}}}");
        }
        await().until(() -> handler.calls.contains("event:room:join:{\"room\":\"r\"}"));
    }

    @Test
    void refusesABadTokenWithAnErrorFrameAnd4401() throws Exception {
        start();
        try (WsClient c = WsClient.connect(url + "?token=forged")) {
            assertThat(c.nextText()).isEqualTo("{\"event\":\"error\",\"data\":{\"code\":\"INVALID_TOKEN\",\"message\":\"invalid token\"}}");
            assertThat(c.awaitClose().code()).isEqualTo(4401);
        }
        assertThat(handler.calls).isEmpty();
    }

    @Test
    void refusesAFirstFrameThatIsNotAuth() throws Exception {
        start();
        try (WsClient c = WsClient.connect(url)) {
            c.send("{\"event\":\"subscribe\",\"data\":{}}");

            assertThat(c.nextText()).contains("\"code\":\"AUTH_FAILED\"");
            assertThat(c.awaitClose().code()).isEqualTo(4401);
        }
    }

    @Test
    void closesAnUnauthenticatedConnectionAfterTheConnectTimeout() throws Exception {
        start(GatewayConfig.defaults().withConnectTimeout(Duration.ofMillis(200)));
        try (WsClient c = WsClient.connect(url)) {
            assertThat(c.nextText()).contains("\"code\":\"AUTH_FAILED\"");
            assertThat(c.awaitClose().code()).isEqualTo(4401);
        }
    }

    @Test
    void reportsARefusalFromOpenWith4403AndNoClosedCall() throws Exception {
        start();
        handler.refuseWith(new HeraldException(ErrorCode.CONNECTION_LIMIT_REACHED, "too many connections"));
        try (WsClient c = WsClient.connect(url + "?token=user:u1")) {
            assertThat(c.nextText()).isEqualTo("{\"event\":\"error\",\"data\":{\"code\":\"CONNECTION_LIMIT_REACHED\",\"message\":\"too many connections\"}}");
            assertThat(c.awaitClose().code()).isEqualTo(4403);
        }
        assertThat(handler.calls).containsExactly("open:u1");
    }

    @Test
    void answersAMalformedFrameAndKeepsServing() throws Exception {
        start();
        try (WsClient c = WsClient.connect(url + "?token=user:u1")) {
            c.nextText();
            c.send("not json");
            assertThat(c.nextText()).contains("\"code\":\"INVALID_ARGUMENT\"");
            c.send("{\"data\":1}");
            assertThat(c.nextText()).contains("\"code\":\"INVALID_ARGUMENT\"");

            c.send("{\"event\":\"ping\",\"id\":\"a\"}");

            assertThat(c.nextText()).isEqualTo("{\"event\":\"ack\",\"id\":\"a\",\"data\":{\"ok\":true,\"echo\":null}}");
        }
    }

    @Test
    void closesAfterTooManyMalformedFramesInARow() throws Exception {
        start();
        try (WsClient c = WsClient.connect(url + "?token=user:u1")) {
            c.nextText();
            for (int i = 0; i < PlainWsSession.MAX_MALFORMED_FRAMES; i++) c.send("garbage");

            assertThat(c.awaitClose().code()).isEqualTo(1008);
        }
        await().until(() -> handler.calls.contains("closed:protocol_error"));
    }

    @Test
    void closesWith1009OnAFrameOverMaxPayload() throws Exception {
        start();
        try (WsClient c = WsClient.connect(url + "?token=user:u1")) {
            c.nextText();
            c.send("{\"event\":\"x\",\"data\":\"" + "y".repeat(1_000_001) + "\"}");

            assertThat(c.awaitClose().code()).isEqualTo(1009);
        }
    }

    @Test
    void answersAnOversizedAuthFrameWithInvalidTokenBeforeClosingWith1009() throws Exception {
        start();
        try (WsClient c = WsClient.connect(url)) {
            c.send("{\"event\":\"auth\",\"data\":{\"token\":\"" + "y".repeat(1_000_001) + "\"}}");

            assertThat(c.nextText()).contains("\"event\":\"error\"").contains("\"code\":\"INVALID_TOKEN\"");
            assertThat(c.awaitClose().code()).isEqualTo(1009);
        }
    }

    @Test
    void sendsOutboundEventsAsJsonFrames() throws Exception {
        start();
        try (WsClient c = WsClient.connect(url + "?token=user:u1")) {
            c.nextText();
            Session session = handler.sessions.getFirst();

            session.send(new OutboundEvent("notification", "{\"id\":\"n1\"}"));

            assertThat(c.nextText()).isEqualTo("{\"event\":\"notification\",\"data\":{\"id\":\"n1\"}}");
        }
    }

    @Test
    void tellsTheClientWhyOnServerClose() throws Exception {
        start();
        try (WsClient c = WsClient.connect(url + "?token=user:u1")) {
            c.nextText();

            handler.sessions.getFirst().close(DisconnectReason.kicked("bye"));

            assertThat(c.nextText()).isEqualTo("{\"event\":\"error\",\"data\":{\"code\":\"SERVER_DISCONNECT\",\"message\":\"bye\"}}");
            assertThat(c.awaitClose().code()).isEqualTo(1000);
        }
        await().until(() -> handler.calls.contains("closed:server_disconnect"));
    }

    @Test
    void limitsTheEventRate() throws Exception {
        start(GatewayConfig.defaults().withRateLimit(0.001, 1));
        try (WsClient c = WsClient.connect(url + "?token=user:u1")) {
            c.nextText();
            c.send("{\"event\":\"a\",\"id\":1}");
            c.send("{\"event\":\"b\",\"id\":2}");

            List<String> frames = List.of(c.nextText(), c.nextText());

            assertThat(frames).containsExactlyInAnyOrder("{\"event\":\"ack\",\"id\":1,\"data\":{\"ok\":true,\"echo\":null}}",
                    "{\"event\":\"ack\",\"id\":2,\"data\":{\"error\":{\"code\":\"RATE_LIMITED\",\"message\":\"too many events, slow down\",\"retryAfter\":1}}}");
        }
        assertThat(handler.count("event:")).isEqualTo(1);
    }

    @Test
    void closesAConnectionThatNeverAnswersPings() throws Exception {
        start(GatewayConfig.defaults().withHeartbeat(Duration.ofMillis(100), Duration.ofMillis(100)));
        try (RawWebSocket silent = new RawWebSocket(server.port(), "/ws?token=user:s", 65536)) {
            assertThat(silent.awaitEof(5000)).isTrue();
        }
        await().until(() -> handler.calls.contains("closed:ping_timeout"));
    }

    @Test
    void refusesAPlainHttpRequestOnWs() throws Exception {
        start();
        var res = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.port() + "/ws")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(res.statusCode()).isEqualTo(400);
        assertThat(res.body()).contains("\"code\":\"INVALID_ARGUMENT\"");
    }

    @Test
    void closesWith1007OnATextFrameThatIsNotUtf8() throws Exception {
        start();
        try (RawWebSocket client = new RawWebSocket(server.port(), "/ws?token=user:a", 65536)) {
            client.sendTextBytes(new byte[]{'"', (byte) 0xC3, (byte) 0x28, '"'});

            List<RawWebSocket.Frame> frames = client.readUntilClose(5000);

            assertThat(frames).isNotNull();
            assertThat(frames.getLast().closeCode()).isEqualTo(1007);
        }
    }
}
