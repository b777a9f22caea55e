package dev.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.herald.bench.report.Result;
import dev.herald.bench.scenario.Options;
import dev.herald.bench.scenario.RestartScenario;
import dev.herald.bench.scenario.Scenarios;
import dev.herald.server.Herald;
import dev.herald.server.config.Env;
import dev.herald.server.config.HeraldConfig;
import java.io.IOException;
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
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restart scenario, small: node A is a real process (the built herald.jar) that the scenario
 * stops and starts again; node B runs in this JVM on the same PostgreSQL database and takes the
 * notifications created during the outage. Asserts only that every official client came back,
 * synced, and received every notification of the outage: never a time.
 */
class RestartSmokeTest {
    private static final Path JAR = Path.of("..", "herald-server", "target", "herald.jar").toAbsolutePath().normalize();

    @TempDir
    Path dir;
    private SmokeDatabase database;
    private Herald nodeB;
    private long nodeA;
    private int portA;

    @BeforeEach
    void startNodes() throws Exception {
        assumeTrue(NodeTools.available(), "node/npm not installed");
        assumeTrue(Files.exists(JAR), "herald-server/target/herald.jar is not built");
        database = SmokeDatabase.create();
        nodeB = Herald.start(HeraldConfig.from(new Env(Map.of("HOST", "127.0.0.1", "SOCKETIO_PORT", "0", "GRPC_PORT", "0",
                "JWT_SECRET", SmokeContract.SECRET, "HERALD_API_KEYS", SmokeContract.API_KEY, "SHUTDOWN_TIMEOUT_SECONDS", "1",
                "HERALD_DATA_DIR", dir.resolve("b").toString(), "DATABASE_URL", database.url()))), Clock.systemUTC());
        portA = freePort();
        Path script = dir.resolve("start-a.sh");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(script, "#!/usr/bin/env bash\necho $$\nexec env HOST=127.0.0.1 SOCKETIO_PORT=" + portA
                + " GRPC_PORT=" + freePort() + " JWT_SECRET=" + SmokeContract.SECRET + " HERALD_API_KEYS=" + SmokeContract.API_KEY
                + " SHUTDOWN_TIMEOUT_SECONDS=2 LOG_LEVEL=warn RATE_LIMIT_API_PER_SECOND=0 RATE_LIMIT_HANDSHAKES_PER_IP_PER_MINUTE=0 HERALD_DATA_DIR=" + dir.resolve("a") + " DATABASE_URL='" + database.url()
                + "' " + java + " --enable-native-access=ALL-UNNAMED -jar " + JAR + " serve >>" + dir.resolve("a.log") + " 2>&1\n");
        Process p = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true).start();
        nodeA = Long.parseLong(new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip());
        awaitHealthy(portA);
    }

    @AfterEach
    void stopNodes() throws Exception {
        for (long pid : new long[] {nodeA, restartedPid()}) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        if (nodeB != null) nodeB.close();
        if (database != null) database.close();
    }

    @Test
    void everyOfficialClientComesBackAndSyncsAfterAGracefulStop() throws Exception {
        Result r = restart("TERM");

        assertThat(r.metrics()).containsEntry("connected", 20L).containsEntry("resynced", 20L)
                .containsEntry("outageNotificationsReceived", 10L);
        assertThat((Double) r.metrics().get("resynced100Seconds")).isPositive();
    }

    @Test
    void everyOfficialClientComesBackAndSyncsAfterAKill() throws Exception {
        Result r = restart("KILL");

        assertThat(r.metrics()).containsEntry("connected", 20L).containsEntry("resynced", 20L)
                .containsEntry("outageNotificationsReceived", 10L);
    }

    private Result restart(String signal) throws Exception {
        Options o = new Options("herald", "127.0.0.1", portA, "official", SmokeContract.SECRET, SmokeContract.API_KEY, "smoke",
                "bench", 20, 1, 1, 0.5, 10, 16, 1, nodeA, null, 2, 16, 5, 0, 0, 1);
        return Scenarios.run("restart", o, new RestartScenario.Settings(signal, 10, nodeB.clientPort(), dir.resolve("start-a.sh"), dir));
    }

    private long restartedPid() throws IOException {
        Path f = dir.resolve("restarted.pid");
        return Files.exists(f) ? Long.parseLong(Files.readString(f).strip()) : -1;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void awaitHealthy(int port) {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).timeout(Duration.ofSeconds(2)).build();
        await().atMost(Duration.ofSeconds(120)).ignoreExceptions()
                .until(() -> http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }
}
