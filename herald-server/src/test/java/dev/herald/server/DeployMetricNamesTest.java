package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.channels.testing.WebhookReceiver;
import dev.herald.server.config.Env;
import dev.herald.server.config.HeraldConfig;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard and the Prometheus alerts name only metrics a running Herald serves. Most
 * of Herald's series appear once something happened (a counter per channel, per reason), so the
 * test first makes each happen: sockets, a refused token, a refused connection, live events,
 * webhooks delivered, retried, dead, held by a digest and skipped by a preference.
 */
class DeployMetricNamesTest {
    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(
            "deploy-metrics-webhook-signing-key".getBytes(StandardCharsets.UTF_8));
    private static final Pattern METRIC = Pattern.compile("\\b(?:notifications?|socketio|websocket|herald|jvm|process|system|hikaricp|queue|emails|sms|push)_[a-z0-9_]+\\b");

    /**
     * Names the dashboard may use before Herald serves them, each with why; the lead reconciles
     * this list when the branch adding them is merged (the test fails when one appears, so that
     * the entry is removed).
     */
    private static final Map<String, String> NOT_YET_SERVED = Map.of();

    @TempDir
    Path dataDir;
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theDashboardAndTheAlertsNameOnlyMetricsHeraldServes() throws Exception {
        Set<String> named = new TreeSet<>();
        for (String file : new String[] {"grafana/herald-dashboard.json", "prometheus/herald-alerts.yaml"}) {
            Matcher m = METRIC.matcher(Files.readString(Path.of("../deploy").resolve(file)));
            while (m.find()) named.add(m.group());
        }
        assertThat(named).hasSizeGreaterThan(20);

        String served = scrapeAfterTraffic();
        Set<String> samples = new TreeSet<>();
        served.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).forEach(l -> samples.add(l.split("[{ ]", 2)[0]));

        Set<String> missing = new TreeSet<>(named);
        missing.removeAll(samples);
        missing.removeAll(NOT_YET_SERVED.keySet());
        assertThat(missing).as("metric names in deploy/ that /metrics does not serve (served: " + samples + ")").isEmpty();
        Set<String> nowServed = new TreeSet<>(NOT_YET_SERVED.keySet());
        nowServed.retainAll(samples);
        assertThat(nowServed).as("served now: remove them from NOT_YET_SERVED").isEmpty();
    }

    private String scrapeAfterTraffic() throws Exception {
        int refusing;
        try (ServerSocket s = new ServerSocket(0)) {
            refusing = s.getLocalPort();
        }
        try (WebhookReceiver receiver = WebhookReceiver.start(SECRET)) {
            Map<String, String> env = new HashMap<>(Map.of("SOCKETIO_PORT", "0", "ENABLE_GRPC", "false", "HOST", "127.0.0.1",
                    "HERALD_DATA_DIR", dataDir.toString(), "JWT_SECRET", TestTokens.SECRET, "HERALD_API_KEYS", TestTokens.API_KEY,
                    "WEBHOOK_SIGNING_SECRET", SECRET, "ALLOW_HTTP_WEBHOOKS", "true", "DELIVERY_RETRY_SCHEDULE", "20ms",
                    "WEBHOOK_MAX_ATTEMPTS", "2"));
            env.put("MAX_CONNECTIONS", "2");
            env.put("LOG_LEVEL", "error");
            try (Herald herald = Herald.start(HeraldConfig.from(new Env(env)), Clock.systemUTC())) {
                int port = herald.clientPort();
                TestTokens tokens = new TestTokens();
                try (WsClient a = WsClient.connect(port, tokens.user("mia", "team-m"));
                     WsClient b = WsClient.connect(port, tokens.user("max", "team-m"))) {
                    a.next("connection_ready");
                    b.next("connection_ready");
                    try (WsClient third = WsClient.connect(port, tokens.user("moe", "team-m"))) {
                        third.next("error"); // CONNECTION_LIMIT_REACHED
                    }
                    call(port, "POST", "/api/v1/realtime/users/mia/events", "{\"eventType\":\"ping\",\"payload\":{}}");
                    a.next("ping");
                }
                try (WsClient bad = WsClient.connect(port, tokens.wrongKey("mia"))) {
                    bad.next("error"); // INVALID_TOKEN
                }
                call(port, "PUT", "/api/v1/users/mia/contact", "{\"webhookUrl\":\"" + receiver.url() + "\"}");
                call(port, "PUT", "/api/v1/users/max/contact", "{\"webhookUrl\":\"http://127.0.0.1:" + refusing + "/hook\"}");
                call(port, "PATCH", "/api/v1/notifications/preferences?userId=mia",
                        "{\"digest\":{\"weekly-report\":{\"frequency\":\"daily\"}},\"types\":{\"muted\":{\"webhook\":false}}}");
                for (String type : new String[] {"order", "weekly-report", "muted"}) {
                    call(port, "POST", "/api/v1/notifications", "{\"recipients\":[\"mia\"],\"type\":\"" + type
                            + "\",\"title\":\"T\",\"channels\":[\"inApp\",\"webhook\"]}");
                }
                call(port, "POST", "/api/v1/notifications", "{\"recipients\":[\"max\"],\"type\":\"order\",\"title\":\"T\",\"channels\":[\"inApp\",\"webhook\"]}");
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    String m = call(port, "GET", "/metrics", null);
                    return m.contains("notifications_dead_letters_total{") && m.contains("notifications_delivered_total{")
                            && m.contains("notifications_held_total{") && m.contains("notifications_skipped_total{");
                });
                return call(port, "GET", "/metrics", null);
            }
        }
    }

    private String call(int port, String method, String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("authorization", "Bearer " + TestTokens.API_KEY).header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isBetween(200, 299);
        return r.body();
    }
}
