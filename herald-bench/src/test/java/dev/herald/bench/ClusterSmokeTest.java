package dev.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.bench.report.Result;
import dev.herald.bench.scenario.Options;
import dev.herald.bench.scenario.Scenarios;
import dev.herald.server.Herald;
import dev.herald.server.config.Env;
import dev.herald.server.config.HeraldConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The cluster runs of fanout and unicast, small: three Herald nodes in this JVM on one fresh
 * PostgreSQL database and the shared Redis on localhost (this run's own CLUSTER_PREFIX), with Redis
 * pub/sub or NATS carrying the rooms, as bench/run.sh --cluster 3 runs them as processes. Asserts
 * only that every connection authenticated on its node and every message arrived, none lost:
 * never a rate or a time.
 */
class ClusterSmokeTest {
    private static final String REDIS = System.getenv().getOrDefault("HERALD_TEST_REDIS_URL", "redis://127.0.0.1:6379");
    private static final String NATS = System.getenv().getOrDefault("HERALD_TEST_NATS_URL", "nats://127.0.0.1:4222");

    @TempDir
    Path dataDir;
    private final List<Herald> nodes = new ArrayList<>();
    private SmokeDatabase database;

    @AfterEach
    void stopNodes() throws Exception {
        for (Herald h : nodes.reversed()) h.close();
        if (database != null) database.close();
    }

    private void startCluster(String broker) throws Exception {
        database = SmokeDatabase.create();
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (int i = 1; i <= 3; i++) {
            Map<String, String> env = new HashMap<>(Map.of("HOST", "127.0.0.1", "SOCKETIO_PORT", "0", "GRPC_PORT", "0",
                    "JWT_SECRET", SmokeContract.SECRET, "HERALD_API_KEYS", SmokeContract.API_KEY, "SHUTDOWN_TIMEOUT_SECONDS", "1",
                    "HERALD_DATA_DIR", dataDir.resolve("n" + i).toString(), "DATABASE_URL", database.url(),
                    "REDIS_URL", REDIS, "CLUSTER_PREFIX", "benchsmoke" + run));
            env.put("NODE_ID", "bench-smoke-" + run + "-" + i);
            if (broker.equals("nats")) env.put("NATS_URL", NATS);
            env.putAll(SmokeContract.NO_RATE_LIMITS);
            nodes.add(Herald.start(HeraldConfig.from(new Env(env)), Clock.systemUTC()));
        }
    }

    /** 30 connections, ten on each node; publishes to the first node. */
    private Options options(int rate, int grpcPort) {
        int[] ports = nodes.stream().mapToInt(Herald::clientPort).toArray();
        // The three nodes are this JVM: the CPU sum counts it thrice, and only its keys are checked.
        long self = ProcessHandle.current().pid();
        return new Options("herald-cluster", "127.0.0.1", ports[0], "socketio", SmokeContract.SECRET, SmokeContract.API_KEY,
                "smoke", "bench", 30, rate, 1, 0.5, 15, 16, 1, self, null, 2, 16, 5, 0.5, grpcPort, 1)
                .withCluster(new Options.Cluster(ports, new long[] {self, self, self}, null));
    }

    // One cluster for both scenarios: starting three nodes is most of the cost.
    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"redis", "nats"})
    void deliversEveryFanoutAndUnicastMessageToTheUsersOnAllThreeNodes(String broker) throws Exception {
        startCluster(broker);

        Result fanout = Scenarios.run("fanout", options(20, 0));
        Result unicast = Scenarios.run("unicast", options(50, nodes.getFirst().grpcPort()));

        assertThat(fanout.metrics()).containsEntry("connected", 30L).containsEntry("failed", 0L).containsEntry("nodes", 3L);
        assertThat((Long) fanout.metrics().get("publishedOk")).isPositive();
        assertThat(fanout.metrics().get("delivered")).isEqualTo(fanout.metrics().get("expectedDeliveries"));
        assertThat(fanout.metrics()).containsEntry("lost", 0L).containsKey("latencyP99Micros")
                .containsKeys("serverCpuMicrosPerDelivery", "nodeCpuMicrosPerDelivery.n1", "nodeCpuMicrosPerDelivery.n3");
        // Unicast goes to node 1 for users of nodes 2 and 3 only: each delivery crossed the broker.
        assertThat(unicast.metrics()).containsEntry("connected", 30L).containsEntry("failed", 0L);
        assertThat((Long) unicast.metrics().get("publishedOk")).isPositive();
        assertThat(unicast.metrics()).containsEntry("publishFailed", 0L);
        assertThat(unicast.metrics().get("delivered")).isEqualTo(unicast.metrics().get("publishedOk"));
        assertThat(unicast.metrics()).containsEntry("lost", 0L).containsKey("latencyP99Micros");
    }
}
