package dev.herald.gateway.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.gateway.GatewayServer;
import dev.herald.gateway.conformance.ConformanceServer;
import dev.herald.gateway.testing.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A CONNECT whose auth payload is over maxPayload (a 1 MB "token") is answered with a
 * CONNECT_ERROR carrying INVALID_TOKEN before the session closes, so the official client emits
 * {@code connect_error} with a code instead of seeing the transport drop.
 */
class OversizedConnectTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String HUGE_CONNECT = "40{\"token\":\"" + "x".repeat(1_000_001) + "\"}";
    private static GatewayServer server;
    private static String ws;
    private static String polling;

    @BeforeAll
    static void start() throws Exception {
        server = ConformanceServer.create(ConformanceServer.config(0).withHeartbeat(Duration.ofSeconds(25), Duration.ofSeconds(20)));
        server.start();
        ws = "ws://127.0.0.1:" + server.port() + "/socket.io/?EIO=4&transport=websocket";
        polling = "http://127.0.0.1:" + server.port() + "/socket.io/?EIO=4&transport=polling";
    }

    @AfterAll
    static void stop() {
        server.shutdown(Duration.ofSeconds(2));
    }

    @Test
    void answersAnOversizedConnectOverWebSocketWithConnectErrorThen1009() throws Exception {
        try (WsClient c = WsClient.connect(ws)) {
            assertThat(c.nextText()).startsWith("0{");

            c.send(HUGE_CONNECT);

            String reply = c.nextNonPing();
            assertThat(reply).startsWith("44{");
            assertThat(JSON.readTree(reply.substring(2)).at("/data/code").asText()).isEqualTo("INVALID_TOKEN");
            assertThat(c.awaitClose().code()).isEqualTo(1009);
        }
    }

    @Test
    void answersAnOversizedConnectOverPollingWithConnectErrorOnThePendingPoll() throws Exception {
        String open = HTTP.send(HttpRequest.newBuilder(URI.create(polling)).build(), HttpResponse.BodyHandlers.ofString()).body();
        String session = polling + "&sid=" + JSON.readTree(open.substring(1)).get("sid").asText();
        CompletableFuture<HttpResponse<String>> poll = HTTP.sendAsync(HttpRequest.newBuilder(URI.create(session)).build(),
                HttpResponse.BodyHandlers.ofString());

        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create(session))
                .POST(HttpRequest.BodyPublishers.ofString(HUGE_CONNECT)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(post.statusCode()).isEqualTo(413);
        String polled = poll.get(10, TimeUnit.SECONDS).body();
        assertThat(polled.split("\u001e")[0]).startsWith("44{").contains("\"code\":\"INVALID_TOKEN\"");
    }

    @Test
    void sendsNoConnectErrorToANamespaceAlreadyJoined() {
        try (WsClient c = WsClient.connect(ws)) {
            c.nextText();
            c.send("40");
            assertThat(c.nextNonPing()).startsWith("40{\"sid\":");

            c.send("42[\"big\",\"" + "x".repeat(1_000_001) + "\"]");

            assertThat(c.awaitClose().code()).isEqualTo(1009);
            // The only CONNECT_ERROR is for /custom ("44/custom,…"), which this client never asked for and ignores.
            assertThat(c.drain()).noneMatch(m -> m.toString().startsWith("44{"));
        }
    }
}
