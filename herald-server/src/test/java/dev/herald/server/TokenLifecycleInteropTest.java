package dev.herald.server;

import dev.herald.server.config.Env;
import dev.herald.server.config.HeraldConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official socket.io-client (and a plain ws client) against the token lifecycle: refresh,
 * token:expiring, TOKEN_EXPIRED and the expired connect_error (src/test/node/lifecycle.check.mjs).
 */
class TokenLifecycleInteropTest {
    private static final String NOTICE_SECONDS = "2";

    @TempDir
    Path dataDir;

    @Test
    void theOfficialClientRefreshesItsTokenOrIsWarnedThenDisconnectedAtExpiry() throws Exception {
        Env env = new Env(Map.of("SOCKETIO_PORT", "0", "GRPC_PORT", "0", "HOST", "127.0.0.1",
                "HERALD_DATA_DIR", dataDir.toString(), "JWT_SECRET", TestTokens.SECRET, "LOG_LEVEL", "warn",
                "TOKEN_EXPIRING_NOTICE_SECONDS", NOTICE_SECONDS));
        try (Herald herald = Herald.start(HeraldConfig.from(env), Clock.systemUTC())) {
            NodeScripts.runPassing(List.of("lifecycle.check.mjs"), Map.of("HERALD_URL", "http://127.0.0.1:" + herald.clientPort(),
                    "JWT_SECRET", TestTokens.SECRET, "RUN", UUID.randomUUID().toString().substring(0, 8),
                    "NOTICE_SECONDS", NOTICE_SECONDS));
        }
    }
}
