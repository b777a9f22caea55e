package dev.herald.core.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.deliver.live.Transport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link PresenceRegistry} must do. Each test gets a fresh, empty registry. */
public abstract class PresenceRegistryContract {
    protected PresenceRegistry registry;
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    /** A registry with no connections; adapters backed by a server must isolate each test's data. */
    protected abstract PresenceRegistry newRegistry();

    @BeforeEach
    void setUp() {
        registry = newRegistry();
    }

    private String user(String name) {
        return name + "-" + run;
    }

    private ConnectionInfo conn(String socket, String user, String team, Transport transport, int second) {
        return new ConnectionInfo(socket + "-" + run, user, team, transport, "node-a", Instant.ofEpochSecond(1_700_000_000L + second));
    }

    @Test
    void countsTheConnectionsOfAUser() {
        String alice = user("alice");
        assertThat(registry.register(conn("s1", alice, "t1", Transport.WEBSOCKET, 1))).isEqualTo(1);
        assertThat(registry.register(conn("s2", alice, "t1", Transport.POLLING, 2))).isEqualTo(2);

        assertThat(registry.connectionsOf(alice)).extracting(ConnectionInfo::socketId)
                .containsExactly("s1-" + run, "s2-" + run);
        assertThat(registry.unregister(conn("s1", alice, "t1", Transport.WEBSOCKET, 1))).isEqualTo(1);
        assertThat(registry.unregister(conn("s2", alice, "t1", Transport.POLLING, 2))).isZero();
        assertThat(registry.connectionsOf(alice)).isEmpty();
    }

    @Test
    void registeringTheSameSocketTwiceCountsItOnce() {
        String bob = user("bob");
        registry.register(conn("s1", bob, null, Transport.WEBSOCKET, 1));
        assertThat(registry.register(conn("s1", bob, null, Transport.WEBSOCKET, 1))).isEqualTo(1);
    }

    @Test
    void unregisteringAnUnknownSocketIsHarmless() {
        assertThat(registry.unregister(conn("nope", user("carol"), null, Transport.WEBSOCKET, 1))).isZero();
    }

    @Test
    void exactlyOneConcurrentRegistrationSeesTheFirstConnection() throws Exception {
        String dave = user("dave");
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            int n = i;
            tasks.add(() -> registry.register(conn("c" + n, dave, null, Transport.WEBSOCKET, n)));
        }
        List<Integer> counts = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Integer> f : pool.invokeAll(tasks)) counts.add(f.get());
        }
        assertThat(counts).containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.rangeClosed(1, 16).boxed().toList());
    }

    @Test
    void reportsStatsByTransportAndTeamWithAnOptionalTeamFilter() {
        String teamA = "ta-" + run, teamB = "tb-" + run;
        registry.register(conn("s1", user("u1"), teamA, Transport.WEBSOCKET, 1));
        registry.register(conn("s2", user("u2"), teamA, Transport.POLLING, 2));
        registry.register(conn("s3", user("u3"), teamB, Transport.WEBSOCKET, 3));

        ConnectionStats a = registry.stats(teamA);
        assertThat(a.totalConnections()).isEqualTo(2);
        assertThat(a.websocketConnections()).isEqualTo(1);
        assertThat(a.pollingConnections()).isEqualTo(1);
        assertThat(a.connectionsByTeam()).isEqualTo(Map.of(teamA, 2));
        assertThat(a.connectionsByTransport()).isEqualTo(Map.of("websocket", 1, "polling", 1));

        ConnectionStats all = registry.stats(null);
        assertThat(all.connectionsByTeam()).containsEntry(teamA, 2).containsEntry(teamB, 1);
    }

    @Test
    void updateRecordsATransportUpgrade() {
        String erin = user("erin");
        ConnectionInfo polling = conn("s1", erin, "t-" + run, Transport.POLLING, 1);
        registry.register(polling);

        registry.update(polling.withTransport(Transport.WEBSOCKET));

        assertThat(registry.connectionsOf(erin)).extracting(ConnectionInfo::transport).containsExactly(Transport.WEBSOCKET);
        assertThat(registry.stats("t-" + run).websocketConnections()).isEqualTo(1);
    }

    @Test
    void aConnectedUserIsOnlineUntilTheySayOtherwiseAndOfflineWhenGone() {
        String fay = user("fay");
        ConnectionInfo c = conn("s1", fay, null, Transport.WEBSOCKET, 1);
        assertThat(registry.statusOf(fay)).isEqualTo(PresenceStatus.OFFLINE);
        registry.register(c);
        assertThat(registry.statusOf(fay)).isEqualTo(PresenceStatus.ONLINE);
        registry.setStatus(fay, PresenceStatus.BUSY);
        assertThat(registry.statusOf(fay)).isEqualTo(PresenceStatus.BUSY);
        registry.unregister(c);
        assertThat(registry.statusOf(fay)).isEqualTo(PresenceStatus.OFFLINE);
    }
}
