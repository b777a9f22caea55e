package dev.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.bench.report.Result;
import dev.herald.bench.scenario.Options;
import dev.herald.bench.scenario.RestartScenario;
import dev.herald.bench.scenario.Scenarios;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restart scenario, small, against one target: node A is a real process, started by a script
 * as bench/run.sh writes it, that the scenario stops and starts again; node B runs on the same
 * PostgreSQL database and takes the notifications created during the outage. Asserts only that
 * every official client came back, synced, and received every notification of the outage: never
 * a time.
 */
abstract class RestartSmokeContract {
    @TempDir
    Path dir;
    private SmokeDatabase database;
    private long nodeA;
    private int portA;
    private int portB;

    protected abstract String target();

    /** Skips the class when what the target needs is missing. */
    protected abstract void assumeRunnable() throws Exception;

    /** Starts node B on the database; returns its client port. */
    protected abstract int startNodeB(String databaseUrl, Path dir) throws Exception;

    protected abstract void stopNodeB() throws Exception;

    /** The bash line that runs node A in the foreground in place of the script (exec), on this port. */
    protected abstract String nodeA(int port, String databaseUrl, Path dir) throws IOException;

    @BeforeEach
    void startNodes() throws Exception {
        assumeRunnable();
        database = SmokeDatabase.create();
        portB = startNodeB(database.url(), dir);
        portA = freePort();
        Path script = dir.resolve("start-a.sh");
        Files.writeString(script, "#!/usr/bin/env bash\necho $$\n" + nodeA(portA, database.url(), dir)
                + " >>" + dir.resolve("a.log") + " 2>&1\n");
        Process p = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true).start();
        nodeA = Long.parseLong(new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip());
        awaitHealthy(portA);
    }

    @AfterEach
    void stopNodes() throws Exception {
        for (long pid : new long[] {nodeA, restartedPid()}) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        stopNodeB();
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
        assertThat((Double) r.metrics().get("newNodeCpuMicrosPerReconnection")).as("the new node's CPU since its start").isPositive();
        assertThat(r.metrics()).containsKey("newNodeCpuMicrosPerReconnection.eventLoops");
    }

    private Result restart(String signal) throws Exception {
        Options o = new Options(target(), "127.0.0.1", portA, "official", SmokeContract.SECRET, SmokeContract.API_KEY, "smoke",
                "bench", 20, 1, 1, 0.5, 10, 16, 1, nodeA, null, 2, 16, 5, 0, 0, 1);
        return Scenarios.run("restart", o, new RestartScenario.Settings(signal, 10, portB, dir.resolve("start-a.sh"), dir));
    }

    private long restartedPid() throws IOException {
        Path f = dir.resolve("restarted.pid");
        return Files.exists(f) ? Long.parseLong(Files.readString(f).strip()) : -1;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void awaitHealthy(int port) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).timeout(Duration.ofSeconds(2)).build();
        await().atMost(Duration.ofSeconds(120)).ignoreExceptions()
                .until(() -> http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }
}
