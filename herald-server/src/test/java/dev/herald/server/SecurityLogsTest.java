package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.herald.core.Json;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** What a started Herald logs (DESIGN §8), captured from Logback: never a token, always the ids. */
class SecurityLogsTest {
    private static final List<String> INFO_LOGGERS = List.of("dev.herald.server.ops.ConnectionLog",
            "dev.herald.core.inbox.InboxService", "dev.herald.core.pipeline.NotificationPipeline");

    @TempDir
    Path dataDir;

    private final TestTokens tokens = new TestTokens();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Map<String, Level> levelsBefore = new HashMap<>();
    private Herald herald;

    @BeforeEach
    void capture() {
        captured.start();
        root.addAppender(captured);
        for (String name : INFO_LOGGERS) {
            Logger logger = (Logger) LoggerFactory.getLogger(name);
            levelsBefore.put(name, logger.getLevel());
            logger.setLevel(Level.INFO);
        }
        herald = Herald.start(HeraldConfig.from(new Env(Map.of("SOCKETIO_PORT", "0", "GRPC_PORT", "0", "HOST", "127.0.0.1",
                "HERALD_DATA_DIR", dataDir.toString(), "JWT_SECRET", TestTokens.SECRET, "HERALD_API_KEYS", TestTokens.API_KEY,
                "RATE_LIMIT_HANDSHAKES_PER_IP_PER_MINUTE", "2"))), Clock.systemUTC());
    }

    @AfterEach
    void release() {
        herald.close();
        root.detachAppender(captured);
        levelsBefore.forEach((name, level) -> ((Logger) LoggerFactory.getLogger(name)).setLevel(level));
    }

    private List<ILoggingEvent> events() {
        return List.copyOf(captured.list);
    }

    private static String everything(ILoggingEvent e) {
        return e.getFormattedMessage() + " " + e.getMDCPropertyMap() + " " + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage());
    }

    @Test
    void anAuthFailureIsLoggedAtWarnWithTheClientIpAndTheCodeAndNeverTheToken() throws Exception {
        String forged = tokens.wrongKey("mallory-" + run);
        try (WsClient client = WsClient.connect(herald.clientPort(), forged)) {
            assertThat(client.next("error").path("data").path("code").asText()).isEqualTo("INVALID_TOKEN");
        }
        try (WsClient flood = WsClient.connect(herald.clientPort(), forged); WsClient more = WsClient.connect(herald.clientPort(), forged)) {
            flood.next("error");
            assertThat(more.next("error").path("data").path("code").asText()).isEqualTo("RATE_LIMITED");
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> events().stream()
                .anyMatch(e -> e.getFormattedMessage().startsWith("rate limit handshake refused 127.0.0.1")));
        assertThat(events()).anySatisfy(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getFormattedMessage()).contains("127.0.0.1").contains("INVALID_TOKEN");
        });
        assertThat(events()).filteredOn(e -> e.getFormattedMessage().startsWith("rate limit"))
                .allSatisfy(e -> assertThat(e.getLevel()).isEqualTo(Level.WARN));
        String signature = forged.substring(forged.lastIndexOf('.') + 1);
        assertThat(events()).noneSatisfy(e -> assertThat(everything(e)).contains(signature));
        assertThat(events()).noneSatisfy(e -> assertThat(everything(e)).contains(forged.substring(0, forged.indexOf('.'))));
    }

    @Test
    void aNotificationIsLoggedWithItsIdWhenCreatedWithItsCorrelationIdAndWhenDelivered() throws Exception {
        String alice = "alice-" + run, correlation = "corr-" + run;
        HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + herald.clientPort() + "/api/v1/notifications"))
                .header("authorization", "Bearer " + TestTokens.API_KEY).header("content-type", "application/json")
                .header("X-Correlation-Id", correlation)
                .POST(HttpRequest.BodyPublishers.ofString("{\"recipients\":[\"" + alice + "\"],\"type\":\"order\",\"title\":\"Shipped\","
                        + "\"message\":\"secret body " + run + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        String id = Json.parse(created.body(), "answer").path("ids").get(0).asText();

        try (WsClient client = WsClient.connect(herald.clientPort(), tokens.user(alice, "team-" + run))) {
            client.next("connection_ready");
            client.send("{\"event\":\"ack\",\"id\":1,\"data\":{\"notificationId\":\"" + id + "\"}}");
            assertThat(client.next("ack").path("data").path("ok").asBoolean()).isTrue();
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> events().stream().anyMatch(e -> e.getFormattedMessage().startsWith("disconnected")));
        assertThat(events()).anySatisfy(e -> {
            assertThat(e.getFormattedMessage()).startsWith("notification created").contains(id);
            assertThat(e.getMDCPropertyMap()).containsEntry("correlation_id", correlation);
        });
        assertThat(events()).anySatisfy(e -> assertThat(e.getFormattedMessage()).startsWith("notification delivered id=" + id));
        assertThat(events()).anySatisfy(e -> assertThat(e.getFormattedMessage())
                .startsWith("connected").contains("user=" + alice).contains("team=team-" + run).contains("transport=websocket"));
        assertThat(events()).anySatisfy(e -> assertThat(e.getFormattedMessage())
                .startsWith("disconnected").contains("user=" + alice).contains("reason=").contains("duration_ms="));
        assertThat(events()).noneSatisfy(e -> assertThat(everything(e)).contains("secret body"));
    }
}
