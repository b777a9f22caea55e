package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.Json;
import dev.herald.server.config.Env;
import dev.herald.server.config.HeraldConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inbox widget and the admin console in Debian's headless chromium, driven by npm playwright-core
 * (src/test/web), against a Herald started here with a webhook channel whose receiver refuses
 * connections, so dead letters appear, and one ingest dead letter written to its store. Screenshots land in target/browser-artifacts.
 */
class BrowserEndToEndTest {
    private static final Path NODE_SOURCES = Path.of("src/test/web");
    private static final Path WORK = Path.of("target/browser-node");
    private static final Path ARTIFACTS = Path.of("target/browser-artifacts").toAbsolutePath();
    private static final String CHROMIUM = "/usr/bin/chromium";

    @TempDir
    static Path dataDir;
    private static Herald herald;
    private static String refusingUrl;

    @BeforeAll
    static void start() throws Exception {
        assertThat(Path.of(CHROMIUM)).as("Debian chromium (scripts/services.sh installs it)").exists();
        prepareNodeProject();
        // A port that was free a moment ago and has no listener now: every delivery to it is refused.
        try (ServerSocket s = new ServerSocket(0)) {
            refusingUrl = "http://127.0.0.1:" + s.getLocalPort() + "/hook";
        }
        Map<String, String> env = new HashMap<>(Map.of("SOCKETIO_PORT", "0", "ENABLE_GRPC", "false", "HOST", "127.0.0.1",
                "HERALD_DATA_DIR", dataDir.toString(), "JWT_SECRET", TestTokens.SECRET, "HERALD_API_KEYS", TestTokens.API_KEY,
                "WEBHOOK_SIGNING_SECRET", "whsec_YnJvd3Nlci10ZXN0LXdlYmhvb2stc2lnbmluZy1rZXkh", "ALLOW_HTTP_WEBHOOKS", "true",
                "DELIVERY_RETRY_SCHEDULE", "50ms", "WEBHOOK_MAX_ATTEMPTS", "1"));
        env.put("LOG_LEVEL", "warn");
        // A live session hears token:expiring this long before exp: short, so widget-refresh.test.mjs
        // sees its first token (8 s) refreshed and outlived within seconds. The other tokens live 1 h.
        env.put("TOKEN_EXPIRING_NOTICE_SECONDS", "4");
        // The suite creates notifications in bursts with one API key and opens many tabs from one
        // IP; Herald's default limits (200/s, 600 handshakes/min) are for production traffic.
        env.put("RATE_LIMIT_API_PER_SECOND", "0");
        env.put("RATE_LIMIT_HANDSHAKES_PER_IP_PER_MINUTE", "0");
        herald = Herald.start(HeraldConfig.from(new Env(env)), Clock.systemUTC());
        // An ingest dead letter as the JetStream consumer keeps it (this node runs no broker ingestion).
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("herald.db"));
             PreparedStatement ps = c.prepareStatement("INSERT INTO ingest_dead_letters (id, source, subject, message_key, reason,"
                     + " body, received_at) VALUES ('nats:NOTIFICATIONS:7', 'nats', 'notifications.orders', 'order-7', ?, ?, ?)")) {
            ps.setString(1, "INVALID_ARGUMENT: type: required");
            ps.setString(2, "{\"recipients\":[\"dora\"],\"title\":\"Order 7\"}");
            ps.setLong(3, System.currentTimeMillis());
            ps.executeUpdate();
        }
    }

    @AfterAll
    static void stop() {
        if (herald != null) herald.close();
    }

    @Test
    void theWidgetCountsReceivesLiveAndReadStateFollowsToAnotherTab() throws Exception {
        runNode("widget.test.mjs");
        assertThat(ARTIFACTS.resolve("widget.png")).exists();
    }

    @Test
    void theWidgetRefreshesItsTokenLiveAndStaysConnectedPastTheFirstExpiry() throws Exception {
        runNode("widget-refresh.test.mjs");
    }

    @Test
    void theAdminConsoleListsADeadLetterAndReplaysIt() throws Exception {
        runNode("admin.test.mjs");
        assertThat(ARTIFACTS.resolve("admin-dead-letters.png")).exists();
    }

    @Test
    void theAdminConsoleEditsAndPreviewsATemplate() throws Exception {
        runNode("admin-templates.test.mjs");
        assertThat(ARTIFACTS.resolve("admin-templates.png")).exists();
    }

    private static String base() {
        return "http://127.0.0.1:" + herald.clientPort();
    }

    private static void runNode(String file) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("node", "--test", "--test-concurrency=1", "--test-reporter=spec", file)
                .directory(WORK.toFile()).redirectErrorStream(true);
        TestTokens tokens = new TestTokens();
        pb.environment().putAll(Map.of("HERALD_URL", base(), "HERALD_API_KEY", TestTokens.API_KEY,
                "HERALD_TOKENS", Json.write(Map.of("wendy", tokens.user("wendy", "team-web"), "wendy-expired", tokens.expired("wendy"),
                        "dora", tokens.user("dora", "team-web"))),
                "HERALD_JWT_SECRET", TestTokens.SECRET, "REFUSING_WEBHOOK_URL", refusingUrl, "ARTIFACTS_DIR", ARTIFACTS.toString(), "CHROMIUM", CHROMIUM));
        Process node = pb.start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean finished = node.waitFor(5, TimeUnit.MINUTES);
        System.out.println(output);
        assertThat(finished).as("node finished").isTrue();
        assertThat(node.exitValue()).as(output).isZero();
        assertThat(output).contains("ℹ fail 0").doesNotContain("ℹ pass 0\n");
    }

    /** Copies the Node project into target/ and installs it from its lock file there. */
    private static void prepareNodeProject() throws IOException, InterruptedException {
        Files.createDirectories(WORK);
        try (Stream<Path> files = Files.list(NODE_SOURCES)) {
            for (Path f : files.toList()) Files.copy(f, WORK.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        if (Files.isDirectory(WORK.resolve("node_modules/playwright-core"))) return;
        Process npm = new ProcessBuilder(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"))
                .directory(WORK.toFile()).redirectErrorStream(true).start();
        String out = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(npm.waitFor(5, TimeUnit.MINUTES)).as("npm ci finished").isTrue();
        assertThat(npm.exitValue()).as("npm ci: " + out).isZero();
    }
}
