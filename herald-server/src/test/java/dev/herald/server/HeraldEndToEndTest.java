package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.herald.server.config.Env;
import dev.herald.server.config.HeraldConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Herald as a whole, started from its configuration, seen through plain HTTP and /ws clients. */
class HeraldEndToEndTest {
    @TempDir
    Path dataDir;

    private final TestTokens tokens = new TestTokens();
    private final HttpClient http = HttpClient.newHttpClient();

    private Herald start(Map<String, String> extra) {
        Map<String, String> vars = new HashMap<>(Map.of("SOCKETIO_PORT", "0", "GRPC_PORT", "0", "HOST", "127.0.0.1",
                "HERALD_DATA_DIR", dataDir.toString(), "JWT_SECRET", TestTokens.SECRET,
                "HERALD_API_KEYS", TestTokens.API_KEY));
        vars.putAll(extra);
        return Herald.start(HeraldConfig.from(new Env(vars)), Clock.systemUTC());
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void refusesConnectionsBeyondMaxConnectionsWithConnectionLimitReached() throws Exception {
        try (Herald herald = start(Map.of("MAX_CONNECTIONS", "1"));
             WsClient first = WsClient.connect(herald.clientPort(), tokens.user("a", "t"))) {
            first.next("connection_ready");

            WsClient second = WsClient.connect(herald.clientPort(), tokens.user("b", "t"));

            assertThat(second.next("error").at("/data/code").asText()).isEqualTo("CONNECTION_LIMIT_REACHED");
            assertThat(second.closed.get(5, TimeUnit.SECONDS)).isEqualTo(4403);
        }
    }

    @Test
    void servesHealthReadinessAndSeedNamedMetrics() throws Exception {
        try (Herald herald = start(Map.of());
             WsClient client = WsClient.connect(herald.clientPort(), tokens.user("m", "t9"))) {
            client.next("connection_ready");

            assertThat(get(herald.clientPort(), "/health").body()).contains("\"status\":\"ok\"").contains("\"connections\":1");
            assertThat(get(herald.clientPort(), "/ready").statusCode()).isEqualTo(200);
            String metrics = get(herald.clientPort(), "/metrics").body();
            assertThat(metrics).contains("notifications_connections 1.0")
                    .contains("notifications_connections_by_team{team_id=\"t9\"} 1.0");
            assertThat(get(herald.clientPort(), "/nowhere").body()).contains("NOT_FOUND");
        }
    }

    @Test
    void tellsEveryClientWhenItShutsDownAndThenStopsServing() throws Exception {
        Herald herald = start(Map.of());
        int port = herald.clientPort();
        WsClient client = WsClient.connect(port, tokens.user("s", "t"));
        client.next("connection_ready");

        herald.close();

        assertThat(client.next("error").at("/data/code").asText()).isEqualTo("SERVER_SHUTDOWN");
        assertThat(client.closed.get(5, TimeUnit.SECONDS)).isPositive();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(catchConnectFailure(port)).isTrue());
    }

    private boolean catchConnectFailure(int port) {
        try {
            get(port, "/health");
            return false;
        } catch (Exception e) {
            return true;
        }
    }

    @Test
    void neverWritesATokenToTheLogsEvenAtDebugLevel() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.classic.Level before = root.getLevel();
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        root.setLevel(ch.qos.logback.classic.Level.DEBUG);
        String good = tokens.user("secretive", "t"), expired = tokens.expired("secretive"), forged = tokens.wrongKey("x");
        try (Herald herald = start(Map.of())) {
            int port = herald.clientPort();
            try (WsClient ok = WsClient.connect(port, good)) {
                ok.next("connection_ready");
                ok.send("{\"event\":\"room:join\",\"data\":\"team:nope\",\"id\":1}");
                ok.next("ack");
            }
            for (String bad : new String[] {expired, forged, "not-a-jwt-" + good}) {
                WsClient refused = WsClient.connect(port, bad);
                refused.next("error");
                refused.closed.get(5, TimeUnit.SECONDS);
            }
            get(port, "/socket.io/?EIO=4&transport=polling&token=" + good);
            http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/realtime/stats"))
                    .header("authorization", "Bearer " + good).build(), HttpResponse.BodyHandlers.ofString());
        } finally {
            root.detachAppender(captured);
            root.setLevel(before);
        }
        assertThat(captured.list).isNotEmpty();
        for (ILoggingEvent e : captured.list) {
            String line = e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy()))
                    + e.getMDCPropertyMap();
            for (String token : new String[] {good, expired, forged, TestTokens.SECRET}) {
                assertThat(line).as("log line from %s", e.getLoggerName()).doesNotContain(token)
                        .doesNotContain(token.substring(token.lastIndexOf('.') + 1));
            }
        }
    }

    @Test
    void countsAnUpgradedClientAsWebsocketAndARefusedTokenAsAnAuthFailure() throws Exception {
        try (Herald herald = start(Map.of())) {
            int port = herald.clientPort();
            io.socket.client.IO.Options options = io.socket.client.IO.Options.builder().setForceNew(true).setReconnection(false)
                    .setTransports(new String[] {"polling", "websocket"}).setAuth(Map.of("token", tokens.user("up", "team-up"))).build();
            io.socket.client.Socket socket = io.socket.client.IO.socket(URI.create("http://127.0.0.1:" + port), options);
            socket.connect();
            try {
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    String stats = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/realtime/stats?teamId=team-up"))
                            .header("authorization", "Bearer " + TestTokens.API_KEY).build(), HttpResponse.BodyHandlers.ofString()).body();
                    assertThat(stats).contains("\"websocketConnections\":1").contains("\"pollingConnections\":0");
                });
                assertThat(get(port, "/metrics").body())
                        .contains("notifications_connections_by_transport{transport=\"websocket\"} 1.0")
                        .contains("notifications_connections_by_transport{transport=\"polling\"} 0.0");

                WsClient refused = WsClient.connect(port, tokens.expired("up"));
                refused.next("error");

                assertThat(get(port, "/metrics").body()).contains("notifications_auth_failures_total{code=\"TOKEN_EXPIRED\"} 1.0");
            } finally {
                socket.disconnect();
                socket.close();
            }
        }
    }
}
