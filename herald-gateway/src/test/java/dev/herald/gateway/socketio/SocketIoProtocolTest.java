package dev.herald.gateway.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.gateway.GatewayServer;
import dev.herald.gateway.conformance.ConformanceServer;
import dev.herald.gateway.testing.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The public Socket.IO protocol suite's cases, over real sockets against the conformance server
 * (ping 300/200 ms, connect timeout 1 s).
 */
class SocketIoProtocolTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static GatewayServer server;
    // The ack tests wait for an ack timeout: on the conformance server's 200 ms pong deadline a loaded
    // machine could drop the session first, so they get a server with the seed's heartbeats.
    private static GatewayServer ackServer;
    private static String ws;
    private static String ackWs;
    private static String http;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        server = ConformanceServer.create(0);
        server.start();
        ackServer = ConformanceServer.create(ConformanceServer.config(0).withHeartbeat(Duration.ofSeconds(25), Duration.ofSeconds(20)));
        ackServer.socketIo().namespace("/acks", request -> {
            var socket = request.socket();
            socket.on("ask", (args, ack) -> socket.emitWithAck("question", Duration.ofSeconds(2), new AckCallback() {
                public void onAck(List<JsonNode> answer) {
                    socket.emit("answered", answer.toArray());
                }

                public void onTimeout() {
                    socket.emit("no-answer");
                }
            }, "why?"));
            request.accept();
        });
        ackServer.start();
        ws = "ws://127.0.0.1:" + server.port() + "/socket.io/?EIO=4&transport=websocket";
        ackWs = "ws://127.0.0.1:" + ackServer.port() + "/socket.io/?EIO=4&transport=websocket";
        http = "http://127.0.0.1:" + server.port() + "/socket.io/?EIO=4&transport=polling";
    }

    @AfterAll
    static void stop() {
        server.shutdown(Duration.ofSeconds(2));
        ackServer.shutdown(Duration.ofSeconds(2));
    }

    private static WsClient connected() {
        WsClient c = WsClient.connect(ws);
        assertThat(c.nextText()).startsWith("0{");
        c.send("40");
        assertThat(c.nextNonPing()).startsWith("40{\"sid\":");
        assertThat(c.nextNonPing()).isEqualTo("42[\"auth\",{}]");
        return c;
    }

    @Test
    void connectsToTheMainNamespaceWithASocketIdThatIsNotTheSid() throws Exception {
        try (WsClient c = WsClient.connect(ws)) {
            String sid = JSON.readTree(c.nextText().substring(1)).get("sid").asText();
            c.send("40");
            JsonNode reply = JSON.readTree(c.nextNonPing().substring(2));

            assertThat(reply.properties()).extracting(java.util.Map.Entry::getKey).containsExactly("sid");
            assertThat(reply.get("sid").asText()).isNotEqualTo(sid);
            assertThat(c.nextNonPing()).isEqualTo("42[\"auth\",{}]");
        }
    }

    @Test
    void passesTheConnectPayloadOfACustomNamespace() {
        try (WsClient c = WsClient.connect(ws)) {
            c.nextText();
            c.send("40/custom,{\"token\":\"abc\"}");

            assertThat(c.nextNonPing()).startsWith("40/custom,{\"sid\":");
            assertThat(c.nextNonPing()).isEqualTo("42/custom,[\"auth\",{\"token\":\"abc\"}]");
        }
    }

    @Test
    void refusesAnUnknownNamespace() {
        try (WsClient c = WsClient.connect(ws)) {
            c.nextText();
            c.send("40/random");

            assertThat(c.nextNonPing()).isEqualTo("44/random,{\"message\":\"Invalid namespace\"}");
        }
    }

    @Test
    void closesOnAnInvalidHandshake() {
        try (WsClient c = WsClient.connect(ws)) {
            c.nextText();
            c.send("4abc");

            c.awaitClose();
        }
    }

    @Test
    void closesWhenNoConnectArrives() {
        try (WsClient c = WsClient.connect(ws)) {
            c.nextText();
            c.awaitClose();
            assertThat(c.isClosed()).isTrue();
        }
    }

    @Test
    void keepsTheConnectionAfterLeavingTheMainNamespace() {
        try (WsClient c = connected()) {
            c.send("41");

            assertThat(c.nextText()).isEqualTo("2");
        }
    }

    @Test
    void keepsTheMainNamespaceAfterLeavingACustomOne() {
        try (WsClient c = connected()) {
            c.send("40/custom");
            c.nextNonPing();
            c.nextNonPing();
            c.send("41/custom");
            c.send("42[\"message\",\"to main\"]");

            assertThat(c.nextNonPing()).isEqualTo("42[\"message-back\",\"to main\"]");
        }
    }

    @Test
    void echoesAPlainTextEvent() {
        try (WsClient c = connected()) {
            c.send("42[\"message\",1,\"2\",{\"3\":[true]}]");

            assertThat(c.nextNonPing()).isEqualTo("42[\"message-back\",1,\"2\",{\"3\":[true]}]");
        }
    }

    @Test
    void echoesBinaryAttachmentsInOrder() {
        try (WsClient c = connected()) {
            c.send("452-[\"message\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
            c.send(new byte[]{1, 2, 3});
            c.send(new byte[]{4, 5, 6});

            assertThat(c.nextNonPing()).isEqualTo("452-[\"message-back\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
            assertThat(c.nextBinary()).containsExactly(1, 2, 3);
            assertThat(c.nextBinary()).containsExactly(4, 5, 6);
        }
    }

    @Test
    void acksWithTheSameArguments() {
        try (WsClient c = connected()) {
            c.send("42456[\"message-with-ack\",1,\"2\",{\"3\":[false]}]");

            assertThat(c.nextNonPing()).isEqualTo("43456[1,\"2\",{\"3\":[false]}]");
        }
    }

    @Test
    void answersABinaryEventWithABinaryAck() {
        try (WsClient c = connected()) {
            c.send("452-789[\"message-with-ack\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
            c.send(new byte[]{1, 2, 3});
            c.send(new byte[]{4, 5, 6});

            assertThat(c.nextNonPing()).isEqualTo("462-789[{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
            assertThat(c.nextBinary()).containsExactly(1, 2, 3);
            assertThat(c.nextBinary()).containsExactly(4, 5, 6);
        }
    }

    @Test
    void closesOnAnUnknownPacketType() {
        try (WsClient c = connected()) {
            c.send("4abc");
            c.awaitClose();
        }
    }

    @Test
    void closesOnAnEventThatIsNotAnArray() {
        try (WsClient c = connected()) {
            c.send("42{}");
            c.awaitClose();
        }
    }

    @Test
    void closesOnAnInvalidAckId() {
        try (WsClient c = connected()) {
            c.send("42abc[\"message-with-ack\",1]");
            c.awaitClose();
        }
    }

    @Test
    void closesOnAnAttachmentThatWasNotAnnounced() {
        try (WsClient c = connected()) {
            c.send(new byte[]{1});
            c.awaitClose();
        }
    }

    @Test
    void deliversTheClientsAnswerToAServerInitiatedAck() {
        try (WsClient c = WsClient.connect(ackWs)) {
            c.nextText();
            c.send("40/acks,");
            c.nextNonPing();
            c.send("42/acks,[\"ask\"]");
            String question = c.nextNonPing();
            assertThat(question).startsWith("42/acks,0[\"question\",\"why?\"]");

            c.send("43/acks,0[\"because\"]");

            assertThat(c.nextNonPing()).isEqualTo("42/acks,[\"answered\",\"because\"]");
        }
    }

    @Test
    void reportsAServerInitiatedAckThatNeverComes() {
        try (WsClient c = WsClient.connect(ackWs)) {
            c.nextText();
            c.send("40/acks,");
            c.nextNonPing();
            c.send("42/acks,[\"ask\"]");
            assertThat(c.nextNonPing()).startsWith("42/acks,0[\"question\"");
            // answer only the pings, never the question
            String next;
            do {
                next = c.nextText();
                if (next.equals("2")) c.send("3");
            } while (next.equals("2"));

            assertThat(next).isEqualTo("42/acks,[\"no-answer\"]");
        }
    }

    @Test
    void closesAWebSocketThatNeverAnswersPings() {
        try (WsClient c = WsClient.connect(ws)) {
            c.nextText();
            assertThat(c.nextText()).isEqualTo("2");
            c.awaitClose();
        }
    }

    @Test
    void upgradesFromPollingToWebSocketAndIgnoresPollsAfterwards() throws Exception {
        String open = HTTP.send(HttpRequest.newBuilder(URI.create(http)).build(), HttpResponse.BodyHandlers.ofString()).body();
        String sid = JSON.readTree(open.substring(1)).get("sid").asText();
        try (WsClient c = WsClient.connect(ws + "&sid=" + sid)) {
            c.send("2probe");
            assertThat(c.nextText()).isEqualTo("3probe");
            var poll = HTTP.send(HttpRequest.newBuilder(URI.create(http + "&sid=" + sid)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(poll.body()).isEqualTo("6");

            c.send("5");
            c.send("40");

            assertThat(c.nextNonPing()).startsWith("40{\"sid\":");
            var after = HTTP.send(HttpRequest.newBuilder(URI.create(http + "&sid=" + sid)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(after.statusCode()).isEqualTo(400);
        }
    }

    @Test
    void closesASecondWebSocketForAnUpgradedSession() throws Exception {
        String open = HTTP.send(HttpRequest.newBuilder(URI.create(http)).build(), HttpResponse.BodyHandlers.ofString()).body();
        String sid = JSON.readTree(open.substring(1)).get("sid").asText();
        try (WsClient c = WsClient.connect(ws + "&sid=" + sid)) {
            c.send("2probe");
            c.nextText();
            c.send("5");
            // CONNECT before the second WebSocket: the session must connect within the server's
            // connectTimeout (1 s), which retries of the second socket on a loaded machine outlast.
            c.send("40");
            assertThat(c.nextNonPing()).startsWith("40{\"sid\":");
            assertThat(c.nextNonPing()).isEqualTo("42[\"auth\",{}]");
            AtomicReference<WsClient> second = new AtomicReference<>();
            await().untilAsserted(() -> {
                second.set(WsClient.connect(ws + "&sid=" + sid));
                second.get().awaitClose();
            });
            c.send("42[\"message\",\"still here\"]");
            assertThat(c.nextNonPing()).isEqualTo("42[\"message-back\",\"still here\"]");
        }
    }

    @Test
    void talksSocketIoOverPollingWithBase64Attachments() throws Exception {
        String open = HTTP.send(HttpRequest.newBuilder(URI.create(http)).build(), HttpResponse.BodyHandlers.ofString()).body();
        String sid = JSON.readTree(open.substring(1)).get("sid").asText();
        String url = http + "&sid=" + sid;
        post(url, "40");
        assertThat(poll(url)).startsWith("40{\"sid\":").endsWith("\u001e42[\"auth\",{}]");

        post(url, "451-[\"message\",{\"_placeholder\":true,\"num\":0}]\u001ebAQID");

        assertThat(poll(url)).isEqualTo("451-[\"message-back\",{\"_placeholder\":true,\"num\":0}]\u001ebAQID");
    }

    private static void post(String url, String body) throws Exception {
        var res = HTTP.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(res.body()).isEqualTo("ok");
    }

    /** The next non-empty batch of packets, with Engine.IO pings answered and left out. */
    private static String poll(String url) throws Exception {
        while (true) {
            String body = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
            List<String> packets = new java.util.ArrayList<>(List.of(body.split("\u001e")));
            if (packets.removeIf("2"::equals)) post(url, "3");
            if (!packets.isEmpty()) return String.join("\u001e", packets);
        }
    }
}
