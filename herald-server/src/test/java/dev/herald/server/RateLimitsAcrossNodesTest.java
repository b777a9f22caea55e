package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.config.Env;
import dev.herald.server.config.HeraldConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes on one Redis share each user's event budget: what a user spends on one node is gone on
 * the other. The user ids are unique to the run, so no other build's budgets are met.
 */
class RateLimitsAcrossNodesTest {
    private static final String REDIS = System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379");

    @TempDir
    Path dataA;
    @TempDir
    Path dataB;

    private final TestTokens tokens = new TestTokens();
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    private Herald node(String name, Path data) {
        // 3 a minute refills one every 20 s: far longer than the few round trips below.
        return Herald.start(HeraldConfig.from(new Env(Map.of("SOCKETIO_PORT", "0", "GRPC_PORT", "0", "HOST", "127.0.0.1",
                "HERALD_DATA_DIR", data.toString(), "JWT_SECRET", TestTokens.SECRET, "REDIS_URL", REDIS,
                "NODE_ID", name + "-" + run, "RATE_LIMIT_USER_EVENTS_PER_MINUTE", "3", "SHUTDOWN_TIMEOUT_SECONDS", "5"))), Clock.systemUTC());
    }

    private static boolean accepted(WsClient tab, int id) throws InterruptedException {
        tab.send("{\"event\":\"presence:update\",\"id\":" + id + ",\"data\":{\"status\":\"away\"}}");
        JsonNode ack = tab.next("ack").path("data");
        if (ack.path("ok").asBoolean()) return true;
        assertThat(ack.path("error").path("code").asText()).isEqualTo("RATE_LIMITED");
        assertThat(ack.path("error").path("retryAfter").asLong()).isPositive();
        return false;
    }

    @Test
    void aUsersEventBudgetHoldsAcrossNodes() throws Exception {
        String alice = "alice-" + run, bob = "bob-" + run;
        try (Herald a = node("a", dataA); Herald b = node("b", dataB);
             WsClient onA = WsClient.connect(a.clientPort(), tokens.user(alice, "t"));
             WsClient onB = WsClient.connect(b.clientPort(), tokens.user(alice, "t"));
             WsClient bobOnB = WsClient.connect(b.clientPort(), tokens.user(bob, "t"))) {
            for (WsClient c : new WsClient[] {onA, onB, bobOnB}) c.next("connection_ready");

            assertThat(accepted(onA, 1)).isTrue();
            assertThat(accepted(onA, 2)).isTrue();
            assertThat(accepted(onB, 3)).as("the third of three, on the other node").isTrue();
            assertThat(accepted(onB, 4)).as("node b knows what alice spent on node a").isFalse();
            assertThat(accepted(onA, 5)).isFalse();
            assertThat(accepted(bobOnB, 1)).as("another user is served").isTrue();
        }
    }
}
