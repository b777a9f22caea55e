package dev.herald.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.core.http.HttpResponse;
import dev.herald.gateway.GatewayConfig;
import dev.herald.gateway.GatewayServer;
import dev.herald.gateway.conformance.ConformanceServer;
import dev.herald.gateway.testing.FakeAuthenticator;
import dev.herald.gateway.testing.RawConnection;
import dev.herald.gateway.testing.RawHttp;
import dev.herald.gateway.testing.RecordingSessionHandler;
import dev.herald.gateway.testing.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Plain HTTP's header, body and idle timeouts on real sockets (all 300 ms here), and what they
 * must leave alone: a held long-poll and an upgraded WebSocket (pings every second here).
 */
class HttpTimeoutsTest {
    private static final Duration SHORT = Duration.ofMillis(300);
    private GatewayServer server;

    @BeforeEach
    void start() throws Exception {
        GatewayConfig config = ConformanceServer.config(0).withHeartbeat(Duration.ofSeconds(1), Duration.ofSeconds(5))
                .withHttp(new GatewayConfig.Http(SHORT, SHORT, SHORT, 0, 128));
        server = new GatewayServer(config, new FakeAuthenticator(), new RecordingSessionHandler(),
                List.of(req -> Optional.of(HttpResponse.json(200, "{}"))), Clock.systemUTC());
        server.mountEngineIo("/engine.io/", ConformanceServer.ENGINE_ECHO).start();
    }

    @AfterEach
    void stop() {
        server.shutdown(Duration.ofSeconds(2));
    }

    @Test
    void closesAConnectionThatSendsNothing() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            await().atMost(Duration.ofSeconds(5)).until(c::closedByServer);
        }
    }

    @Test
    void closesAConnectionTricklingItsHeadersWith408() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            c.send("GET /x HTTP/1.1\r\nHost: herald\r\n");

            // One more header byte every 50 ms: always busy, never done.
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
                if (!c.closedByServer()) c.send("X");
                return c.closedByServer();
            });

            assertThat(c.received()).startsWith("HTTP/1.1 408");
        }
    }

    @Test
    void closesAConnectionWithAPartialBodyWith408() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            c.send("POST /x HTTP/1.1\r\nHost: herald\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\":");

            await().atMost(Duration.ofSeconds(5)).until(c::closedByServer);

            assertThat(c.received()).startsWith("HTTP/1.1 408");
        }
    }

    @Test
    void closesAKeepAliveConnectionIdleAfterItsAnswer() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            c.send(RawHttp.get("/x"));

            await().atMost(Duration.ofSeconds(5)).until(c::closedByServer);

            assertThat(RawHttp.parse(c.received())).extracting(RawHttp.Answer::status).containsExactly(200);
        }
    }

    @Test
    void keepsAHeldPollOpenUntilItsAnswerPastTheTimeouts() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String url = "http://127.0.0.1:" + server.port() + "/engine.io/?EIO=4&transport=polling";
        String open = http.send(HttpRequest.newBuilder(URI.create(url)).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        String sid = open.substring(open.indexOf("\"sid\":\"") + 7, open.indexOf("\",", open.indexOf("\"sid\":\"")));

        // Held until the server's ping, a second later: past every HTTP timeout.
        var poll = http.send(HttpRequest.newBuilder(URI.create(url + "&sid=" + sid)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(poll.statusCode()).isEqualTo(200);
        assertThat(poll.body()).isEqualTo("2");
    }

    @Test
    void keepsAnUpgradedWebSocketOpenPastTheTimeouts() throws Exception {
        try (WsClient c = WsClient.connect("ws://127.0.0.1:" + server.port() + "/engine.io/?EIO=4&transport=websocket")) {
            assertThat(c.nextText()).startsWith("0{");

            // The ping comes a second after the open, past every HTTP timeout, on the same connection.
            assertThat(c.nextText()).isEqualTo("2");
        }
    }
}
