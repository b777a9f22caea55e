package dev.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.bench.ceiling.CeilingServer;
import dev.herald.bench.report.Result;
import dev.herald.bench.scenario.Options;
import dev.herald.bench.scenario.Scenarios;
import dev.herald.server.Herald;
import dev.herald.server.config.Env;
import dev.herald.server.config.HeraldConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhooks scenario for a second against Herald, started in this JVM on a fresh PostgreSQL
 * database with the webhook channel, as bench/run.sh starts it. Asserts that every accepted create
 * arrives once, correctly signed: never a rate or a time.
 */
class WebhooksSmokeTest {
    private static final String SIGNING = "whsec_" + Base64.getEncoder().encodeToString(
            "bench-smoke-webhook-signing-key!!".getBytes(StandardCharsets.UTF_8));
    @TempDir
    static Path dataDir;
    private static SmokeDatabase database;
    private static Herald herald;

    @BeforeAll
    static void startHerald() throws Exception {
        database = SmokeDatabase.create();
        // Retries after 50 ms, so the 503 run drains within the smoke test's second.
        herald = Herald.start(HeraldConfig.from(new Env(Map.ofEntries(Map.entry("HOST", "127.0.0.1"),
                Map.entry("SOCKETIO_PORT", "0"), Map.entry("ENABLE_GRPC", "false"),
                Map.entry("JWT_SECRET", SmokeContract.SECRET), Map.entry("HERALD_API_KEYS", SmokeContract.API_KEY),
                Map.entry("SHUTDOWN_TIMEOUT_SECONDS", "1"), Map.entry("HERALD_DATA_DIR", dataDir.toString()),
                Map.entry("DATABASE_URL", database.url()), Map.entry("WEBHOOK_SIGNING_SECRET", SIGNING),
                Map.entry("ALLOW_HTTP_WEBHOOKS", "true"), Map.entry("DELIVERY_RETRY_SCHEDULE", "50ms")))),
                Clock.systemUTC());
    }

    @AfterAll
    static void stopHerald() throws Exception {
        if (herald != null) herald.close();
        if (database != null) database.close();
    }

    private static Options options(int port, double failPercent) {
        // Every request's signature checked (verify-every 1); PostgreSQL CPU read from the test database.
        return new Options("herald", "127.0.0.1", port, "http", SmokeContract.SECRET, SmokeContract.API_KEY, "smoke",
                "bench", 20, 40, 1, 0, 15, 16, 1, ProcessHandle.current().pid(), null, 2, 16, 5, 0.5, 0, 2,
                new Options.Webhooks(SIGNING, 1, failPercent, null, database.url()));
    }

    @Test
    void receivesEveryWebhookOnceWithAValidSignature() throws Exception {
        Result r = Scenarios.run("webhooks", options(herald.clientPort(), 0));

        long ok = (Long) r.metrics().get("createsOk");
        assertThat(ok).isPositive();
        assertThat(r.metrics()).containsEntry("createsFailed", 0L).containsEntry("expectedWebhooks", ok * 2)
                .containsEntry("received", ok * 2).containsEntry("missing", 0L).containsEntry("duplicates", 0L)
                .containsEntry("signaturesChecked", ok * 2).containsEntry("badSignatures", 0L)
                .containsKeys("webhooksPerSec", "latencyP99Micros", "serverCpuMicrosPerWebhook", "databaseCpuMicrosPerWebhook");
    }

    @Test
    void receivesWebhooksWhoseFirstAttemptWasAnswered503OnTheirRetry() throws Exception {
        Result r = Scenarios.run("webhooks", options(herald.clientPort(), 50));

        long expected = (Long) r.metrics().get("expectedWebhooks");
        long retried = (Long) r.metrics().get("answered503");
        assertThat(retried).isPositive();
        assertThat(r.metrics()).containsEntry("received", expected).containsEntry("missing", 0L)
                .containsEntry("duplicates", 0L).containsEntry("requests", expected + retried);
    }

    @Test
    void refusesToMeasureATargetThatHasNoWebhookChannel() throws Exception {
        try (CeilingServer ceiling = new CeilingServer("127.0.0.1", 0, SmokeContract.SECRET, SmokeContract.API_KEY, 1, null)) {
            assertThatThrownBy(() -> Scenarios.run("webhooks", options(ceiling.port(), 0)))
                    .hasMessageContaining("no webhook channel");
        }
    }
}
