package dev.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.bench.ceiling.CeilingServer;
import dev.herald.bench.channel.ServiceAccountFile;
import dev.herald.bench.report.Result;
import dev.herald.bench.scenario.ChannelSettings;
import dev.herald.bench.scenario.Options;
import dev.herald.bench.scenario.Scenarios;
import dev.herald.server.Herald;
import dev.herald.server.config.Env;
import dev.herald.server.config.HeraldConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The emails and push scenarios for a second against Herald, started in this JVM on a fresh
 * PostgreSQL database with the email channel pointing at the generator's SMTP sink and FCM at its
 * stand-in (with a service account made for the run), as bench/run.sh starts it. Asserts that every
 * accepted create arrives once, never a rate or a time.
 */
class ChannelsSmokeTest {
    @TempDir
    static Path dataDir;
    private static SmokeDatabase database;
    private static Herald herald;
    private static int smtpPort;
    private static int fcmPort;
    private static Path serviceAccount;

    @BeforeAll
    static void startHerald() throws Exception {
        database = SmokeDatabase.create();
        smtpPort = freePort();
        fcmPort = freePort();
        serviceAccount = ServiceAccountFile.write(dataDir.resolve("fcm-service-account.json"));
        Map<String, String> env = new HashMap<>(Map.ofEntries(Map.entry("HOST", "127.0.0.1"),
                Map.entry("SOCKETIO_PORT", "0"), Map.entry("ENABLE_GRPC", "false"),
                Map.entry("JWT_SECRET", SmokeContract.SECRET), Map.entry("HERALD_API_KEYS", SmokeContract.API_KEY),
                Map.entry("SHUTDOWN_TIMEOUT_SECONDS", "1"), Map.entry("HERALD_DATA_DIR", dataDir.toString()),
                Map.entry("DATABASE_URL", database.url()),
                Map.entry("SMTP_URL", "smtp://127.0.0.1:" + smtpPort), Map.entry("EMAIL_FROM", "Herald Bench <bench@herald.example>"),
                Map.entry("FCM_SERVICE_ACCOUNT_FILE", serviceAccount.toString()),
                Map.entry("FCM_BASE_URL", "http://127.0.0.1:" + fcmPort), Map.entry("FCM_TOKEN_URL", "http://127.0.0.1:" + fcmPort + "/token"),
                Map.entry("RATE_LIMIT_EMAIL_PER_HOUR", "0"), Map.entry("RATE_LIMIT_PUSH_PER_HOUR", "0")));
        env.putAll(SmokeContract.NO_RATE_LIMITS);
        herald = Herald.start(HeraldConfig.from(new Env(env)), Clock.systemUTC());
    }

    @AfterAll
    static void stopHerald() throws Exception {
        if (herald != null) herald.close();
        if (database != null) database.close();
    }

    /** A port free now, for the provider the generator starts after Herald was told where it is. */
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Options options(int port) {
        return new Options("herald", "127.0.0.1", port, "http", SmokeContract.SECRET, SmokeContract.API_KEY, "smoke",
                "bench", 20, 40, 1, 0, 15, 16, 1, ProcessHandle.current().pid(), null, 2, 16, 5, 0.5, 0, 2,
                new Options.Webhooks(null, 100, 0, null, database.url()));
    }

    private static ChannelSettings channels(String template) {
        return new ChannelSettings(smtpPort, fcmPort, serviceAccount, template);
    }

    @Test
    void receivesEveryEmailOnceAtTheSmtpServer() throws Exception {
        Result r = Scenarios.run("emails", options(herald.clientPort()), null, channels(null));

        long ok = (Long) r.metrics().get("createsOk");
        assertThat(ok).isPositive();
        assertThat(r.metrics()).containsEntry("createsFailed", 0L).containsEntry("expectedEmails", ok * 2)
                .containsEntry("received", ok * 2).containsEntry("missing", 0L).containsEntry("duplicates", 0L)
                .containsEntry("malformed", 0L)
                .containsKeys("emailsPerSec", "latencyP99Micros", "serverCpuMicrosPerEmail", "databaseCpuMicrosPerEmail", "smtpConnections");
    }

    @Test
    void receivesEveryEmailRenderedFromTheStarterTemplate() throws Exception {
        Result r = Scenarios.run("emails", options(herald.clientPort()), null, channels("notification"));

        long ok = (Long) r.metrics().get("createsOk");
        assertThat(ok).isPositive();
        assertThat(r.metrics()).containsEntry("received", ok * 2).containsEntry("missing", 0L).containsEntry("duplicates", 0L);
    }

    @Test
    void receivesEveryPushOnceAtTheFcmStandInWithAGrantedToken() throws Exception {
        Result r = Scenarios.run("push", options(herald.clientPort()), null, channels(null));

        long ok = (Long) r.metrics().get("createsOk");
        assertThat(ok).isPositive();
        assertThat(r.metrics()).containsEntry("createsFailed", 0L).containsEntry("expectedPushes", ok * 2)
                .containsEntry("received", ok * 2).containsEntry("missing", 0L).containsEntry("duplicates", 0L)
                .containsEntry("refusedGrants", 0L).containsEntry("refusedSends", 0L)
                .containsKeys("pushesPerSec", "latencyP99Micros", "serverCpuMicrosPerPush", "tokenGrants");
        assertThat((Long) r.metrics().get("tokenGrants")).isPositive();
    }

    @Test
    void refusesToMeasureATargetThatHasNoEmailChannel() throws Exception {
        try (CeilingServer ceiling = new CeilingServer("127.0.0.1", 0, SmokeContract.SECRET, SmokeContract.API_KEY, 1, null)) {
            assertThatThrownBy(() -> Scenarios.run("emails", options(ceiling.port()), null, channels(null)))
                    .hasMessageContaining("no email channel");
        }
    }
}
