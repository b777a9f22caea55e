package dev.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.bench.report.Result;
import dev.herald.bench.scenario.Scenarios;
import dev.herald.server.Herald;
import dev.herald.server.config.Env;
import dev.herald.server.config.HeraldConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The smoke runs against Herald itself, started in this JVM on free ports: every scenario on a node
 * with the embedded store in a temp dir, and the pipeline on a second node storing in a fresh
 * PostgreSQL database, as bench/run.sh runs it.
 */
class HeraldSmokeTest extends SmokeContract {
    @TempDir
    static Path dataDir;
    private static Herald embedded;
    private static SmokeDatabase database;
    private static Herald onPostgres;

    @BeforeAll
    static void startHerald() throws Exception {
        embedded = Herald.start(config(Map.of("HERALD_DATA_DIR", dataDir.resolve("embedded").toString())), Clock.systemUTC());
        database = SmokeDatabase.create();
        onPostgres = Herald.start(config(Map.of("HERALD_DATA_DIR", dataDir.resolve("postgres").toString(),
                "DATABASE_URL", database.url())), Clock.systemUTC());
    }

    private static HeraldConfig config(Map<String, String> store) {
        Map<String, String> env = new HashMap<>(Map.of("HOST", "127.0.0.1", "SOCKETIO_PORT", "0", "GRPC_PORT", "0",
                "JWT_SECRET", SECRET, "HERALD_API_KEYS", API_KEY, "SHUTDOWN_TIMEOUT_SECONDS", "1"));
        // A load generator is one caller on one IP publishing many broadcasts a second: no limits, as bench/run.sh sets.
        env.putAll(NO_RATE_LIMITS);
        env.putAll(store);
        return HeraldConfig.from(new Env(env));
    }

    @AfterAll
    static void stopHerald() throws Exception {
        if (onPostgres != null) onPostgres.close();
        if (embedded != null) embedded.close();
        if (database != null) database.close();
    }

    @Override protected int port() { return embedded.clientPort(); }
    @Override protected int pipelinePort() { return onPostgres.clientPort(); }
    @Override protected String target() { return "herald"; }
    // Herald runs in this JVM: the probe reads this process with jcmd and /proc.
    @Override protected long serverPid() { return ProcessHandle.current().pid(); }
    @Override protected String memoryUrl() { return null; }

    @Test
    void deliversEveryUnicastMessageSentWithGrpcSendToUser() throws Exception {
        Result r = Scenarios.run("unicast", options("socketio", 30, 50, port(), embedded.grpcPort(), 1));

        assertThat(r.notes()).anyMatch(n -> n.contains("gRPC"));
        assertThat((Long) r.metrics().get("publishedOk")).isPositive();
        assertThat(r.metrics()).containsEntry("publishFailed", 0L);
        SmokeContract.assertDeliveredOncePerPublish(r);
        assertThat(r.metrics()).containsEntry("lost", 0L).containsKey("latencyP99Micros");
    }
}
