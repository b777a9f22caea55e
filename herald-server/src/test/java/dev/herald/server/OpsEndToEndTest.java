package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.herald.server.config.Env;
import dev.herald.server.config.HeraldConfig;
import dev.herald.server.ops.AuthFailureLog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Metrics access and refused-authentication logging, through a whole Herald. */
class OpsEndToEndTest {
    private static final String METRICS_TOKEN = "scrape-token-0123456789";

    @TempDir
    Path dataDir;

    private final TestTokens tokens = new TestTokens();
    private final HttpClient http = HttpClient.newHttpClient();

    private Herald start(Map<String, String> extra) {
        Map<String, String> vars = new HashMap<>(Map.of("SOCKETIO_PORT", "0", "GRPC_PORT", "0", "HOST", "127.0.0.1",
                "HERALD_DATA_DIR", dataDir.toString(), "JWT_SECRET", TestTokens.SECRET, "HERALD_API_KEYS", TestTokens.API_KEY));
        vars.putAll(extra);
        return Herald.start(HeraldConfig.from(new Env(vars)), Clock.systemUTC());
    }

    private HttpResponse<String> get(int port, String path, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (bearer != null) b.header("authorization", "Bearer " + bearer);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void protectsMetricsWithMetricsToken() throws Exception {
        try (Herald herald = start(Map.of("METRICS_TOKEN", METRICS_TOKEN))) {
            HttpResponse<String> without = get(herald.clientPort(), "/metrics", null);
            HttpResponse<String> wrong = get(herald.clientPort(), "/metrics", "not-the-token-at-all");
            HttpResponse<String> with = get(herald.clientPort(), "/metrics", METRICS_TOKEN);

            assertThat(without.statusCode()).isEqualTo(401);
            assertThat(without.body()).contains("UNAUTHENTICATED");
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(with.statusCode()).isEqualTo(200);
            assertThat(with.body()).contains("notifications_connections");
        }
    }

    @Test
    void servesMetricsOnMetricsPortAndNotOnTheClientPort() throws Exception {
        try (Herald herald = start(Map.of("METRICS_PORT", "0"))) {
            HttpResponse<String> own = get(herald.metricsPort(), "/metrics", null);

            assertThat(own.statusCode()).isEqualTo(200);
            assertThat(own.body()).contains("notifications_connections");
            assertThat(get(herald.clientPort(), "/metrics", null).statusCode()).isEqualTo(404);
            assertThat(get(herald.clientPort(), "/health", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void logsRefusedAuthenticationsAtWarnWithTheClientIpNeverTheTokenAndRateLimited() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(AuthFailureLog.class);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        logger.addAppender(captured);
        String expired = tokens.expired("mallory");
        int attempts = 10;
        try (Herald herald = start(Map.of())) {
            for (int i = 0; i < attempts; i++) {
                WsClient refused = WsClient.connect(herald.clientPort(), expired);
                refused.next("error");
                refused.closed.get(5, TimeUnit.SECONDS);
            }
            assertThat(get(herald.clientPort(), "/api/v1/realtime/stats", "wrong-api-key-0123456789").statusCode()).isEqualTo(401);
        } finally {
            logger.detachAppender(captured);
        }
        List<String> lines = captured.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(captured.list).allMatch(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN);
        assertThat(lines).anyMatch(l -> l.contains("over client from 127.0.0.1: TOKEN_EXPIRED"));
        assertThat(lines).hasSizeLessThan(attempts);
        assertThat(lines).noneMatch(l -> l.contains(expired) || l.contains(expired.substring(expired.lastIndexOf('.') + 1))
                || l.contains("wrong-api-key"));
    }
}
