package dev.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.herald.bench.report.Result;
import dev.herald.bench.scenario.Options;
import dev.herald.bench.scenario.Scenarios;
import org.junit.jupiter.api.Test;

/**
 * A seconds-long run of every scenario against one target, with small numbers. Asserts only that
 * connections authenticate, messages arrive and none is lost: never a rate or a time. The pipeline
 * runs need the target started on a fresh PostgreSQL database ({@link SmokeDatabase}).
 */
abstract class SmokeContract {
    static final String SECRET = "smoke-secret-smoke-secret-smoke-secret-42";
    static final String API_KEY = "smoke-api-key-0123456789";
    /** What bench/run.sh sets on Herald: the generator is one caller on one IP. */
    static final java.util.Map<String, String> NO_RATE_LIMITS = java.util.Map.of("RATE_LIMIT_API_PER_SECOND", "0",
            "RATE_LIMIT_BROADCASTS_PER_MINUTE", "0", "RATE_LIMIT_HANDSHAKES_PER_IP_PER_MINUTE", "0",
            "RATE_LIMIT_USER_EVENTS_PER_MINUTE", "0");

    protected abstract int port();

    protected abstract String target();

    /** Pid whose memory the idle scenario reads; 0 for none. */
    protected abstract long serverPid();

    /** URL answering {heapUsed} after a GC, or null to use jcmd on the pid. */
    protected abstract String memoryUrl();

    /** The server that stores notifications; Herald's smoke test runs a second node, on PostgreSQL, for it. */
    protected int pipelinePort() {
        return port();
    }

    protected Options options(String protocol, int connections, int rate) {
        return options(protocol, connections, rate, port(), 0, 1);
    }

    protected Options options(String protocol, int connections, int rate, int port, int grpcPort, int recipientsPerRequest) {
        // Two workers for 30 connections: the run goes through the real fork-and-aggregate path.
        return new Options(target(), "127.0.0.1", port, protocol, SECRET, API_KEY, "smoke", "bench", connections,
                rate, 1, 0.5, 15, 16, 1, serverPid(), memoryUrl(), 2, 16, 5, 0.5, grpcPort, recipientsPerRequest);
    }

    @Test
    void deliversEveryFanoutMessageToEverySocketIoMember() throws Exception {
        Result r = Scenarios.run("fanout", options("socketio", 30, 20));

        assertThat(r.metrics()).containsEntry("connected", 30L).containsEntry("failed", 0L);
        assertThat((Long) r.metrics().get("publishedOk")).isPositive();
        assertThat(r.metrics().get("delivered")).isEqualTo(r.metrics().get("expectedDeliveries"));
        assertThat(r.metrics()).containsEntry("lost", 0L);
    }

    @Test
    void deliversEveryFanoutMessageToEveryPlainWebSocketMember() throws Exception {
        Result r = Scenarios.run("fanout", options("ws", 30, 20));

        assertThat(r.metrics()).containsEntry("connected", 30L);
        assertThat((Long) r.metrics().get("publishedOk")).isPositive();
        assertThat(r.metrics()).containsEntry("lost", 0L);
    }

    @Test
    void deliversEveryUnicastMessageToItsUserWithALatencyStamp() throws Exception {
        Result r = Scenarios.run("unicast", options("socketio", 30, 50));

        assertThat((Long) r.metrics().get("publishedOk")).isPositive();
        SmokeContract.assertDeliveredOncePerPublish(r);
        assertThat(r.metrics()).containsEntry("lost", 0L).containsKey("latencyP99Micros");
    }

    @Test
    void storesAndDeliversEveryNotificationToItsRecipientWithALatencyStamp() throws Exception {
        Result r = Scenarios.run("pipeline", options("socketio", 30, 50, pipelinePort(), 0, 1));

        assertThat((Long) r.metrics().get("publishedOk")).isPositive();
        assertThat(r.metrics()).containsEntry("publishFailed", 0L);
        SmokeContract.assertDeliveredOncePerPublish(r);
        assertThat(r.metrics()).containsEntry("lost", 0L).containsKey("latencyP99Micros");
    }

    @Test
    void storesAndDeliversANotificationToEachOfSeveralRecipientsOnPlainWebSockets() throws Exception {
        Result r = Scenarios.run("pipeline", options("ws", 30, 20, pipelinePort(), 0, 3));

        long ok = (Long) r.metrics().get("publishedOk");
        assertThat(ok).isPositive();
        assertThat(r.metrics()).containsEntry("expectedDeliveries", ok * 3).containsEntry("delivered", ok * 3)
                .containsEntry("lost", 0L).containsKey("latencyP99Micros");
    }

    @Test
    void holdsIdleConnectionsAndReadsTheServerMemory() throws Exception {
        Result r = Scenarios.run("idle", options("socketio", 30, 1));

        assertThat(r.metrics()).containsEntry("connected", 30L).containsEntry("openAtEnd", 30L)
                .containsEntry("droppedWhileHeld", 0L).containsKey("rssBytesPerConnection");
    }

    @Test
    void completesAuthenticatedHandshakesWithoutFailure() throws Exception {
        Result r = Scenarios.run("handshake", options("ws", 30, 1));

        assertThat((Long) r.metrics().get("handshakesIncludingWarmup")).isPositive();
        assertThat(r.metrics()).containsEntry("failed", 0L);
    }

    @Test
    void deliversEveryFanoutMessageToEveryOfficialClientMember() throws Exception {
        assumeTrue(NodeTools.available(), "node/npm not installed");
        Result r = Scenarios.run("fanout", options("official", 30, 20));

        assertThat(r.metrics()).containsEntry("connected", 30L).containsEntry("failed", 0L);
        assertThat((Long) r.metrics().get("publishedOk")).isPositive();
        assertThat(r.metrics().get("delivered")).isEqualTo(r.metrics().get("expectedDeliveries"));
        assertThat(r.metrics()).containsEntry("lost", 0L).containsKey("latencyP99Micros");
    }

    @Test
    void holdsIdleOfficialClientConnectionsAndSplitsTheServerCpuByThreadGroup() throws Exception {
        assumeTrue(NodeTools.available(), "node/npm not installed");
        Result r = Scenarios.run("idle", options("official", 30, 1));

        assertThat(r.metrics()).containsEntry("connected", 30L).containsEntry("openAtEnd", 30L)
                .containsEntry("droppedWhileHeld", 0L).containsKey("serverCpuMicrosPerConnection");
        assertThat(r.metrics().keySet()).anyMatch(k -> k.equals("serverCpuMicrosPerConnection.eventLoops"));
    }

    @Test
    void completesHandshakesWithTheOfficialClientWithoutFailure() throws Exception {
        assumeTrue(NodeTools.available(), "node/npm not installed");
        Result r = Scenarios.run("handshake", options("official", 30, 1));

        assertThat((Long) r.metrics().get("handshakesIncludingWarmup")).isPositive();
        assertThat(r.metrics()).containsEntry("failed", 0L);
    }

    /**
     * Each answered publish delivered once; a request still unanswered after the drain (a loaded
     * machine) may have been delivered too, so it may add one, never more.
     */
    static void assertDeliveredOncePerPublish(Result r) {
        long ok = (Long) r.metrics().get("publishedOk");
        long unanswered = (Long) r.metrics().get("publishUnanswered");
        assertThat((Long) r.metrics().get("delivered")).as("delivered, for %d answered and %d unanswered publishes", ok, unanswered)
                .isBetween(ok, ok + unanswered);
    }
}
