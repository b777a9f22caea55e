package dev.herald.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.bench.worker.WorkerSpec;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How a cluster run spreads its connections and picks its unicast recipients. */
class ClusterLoadTest {
    @Test
    void usersGoRoundRobinOverTheNodesPorts() {
        WorkerSpec spec = new WorkerSpec("127.0.0.1", 7001, "socketio", "hold", 0, 6, 1, "s", "t", "bench", 1,
                new int[] {7001, 7002, 7003});

        assertThat(new int[] {spec.portOf(0), spec.portOf(1), spec.portOf(2), spec.portOf(3), spec.portOf(5)})
                .containsExactly(7001, 7002, 7003, 7001, 7003);
    }

    @Test
    void oneNodeSendsEveryUserToItsPort() {
        WorkerSpec spec = new WorkerSpec("127.0.0.1", 7001, "socketio", "hold", 0, 6, 1, "s", "t", "bench", 1);

        assertThat(spec.portOf(4)).isEqualTo(7001);
    }

    @Test
    void unicastRecipientsOfAClusterAreNeverOnThePublishingNode() {
        Set<Integer> users = new HashSet<>();
        for (long seq = -200; seq < 3000; seq++) {
            int u = Integer.parseInt(Scenarios.user(seq, 30, 3).substring(1));
            assertThat(u % 3).as("user %d of request %d", u, seq).isNotZero();
            assertThat(u).isBetween(0, 29);
            users.add(u);
        }
        // Every user of the other two nodes is reached.
        assertThat(users).hasSize(20);
    }

    @Test
    void aClusterRunRefusesTheScenariosThatDoNotSpreadOverNodes() {
        Options o = new Options("t", "127.0.0.1", 7001, "socketio", "x".repeat(32), "k", "t", "bench", 10, 1, 1, 1,
                10, 1, 1, 0, null, 1, 1, 1, 0, 0, 1).withCluster(new Options.Cluster(new int[] {7001, 7002}, null, null));

        assertThatThrownBy(() -> Scenarios.run("pipeline", o)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only fanout and unicast");
    }
}
