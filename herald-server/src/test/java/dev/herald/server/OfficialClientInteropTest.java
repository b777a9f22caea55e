package dev.herald.server;

import dev.herald.core.Json;
import dev.herald.server.config.Env;
import dev.herald.server.config.HeraldConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the official {@code socket.io-client} 4.8 (installed from npm) and a plain {@code ws} client in
 * Node against a started Herald: both Socket.IO transports and the upgrade, acks, binary, every
 * auth refusal code, a refused room join, presence, a server-side disconnect and reconnect, the per-user
 * cap, and /ws (see src/test/node; the {@code *.test.mjs} files, run by {@link NodeScripts}).
 */
class OfficialClientInteropTest {
    @TempDir
    Path dataDir;

    @Test
    void theOfficialSocketIoClientAndAPlainWebSocketClientWorkAgainstHerald() throws Exception {
        Path work = NodeScripts.prepare();
        Env env = new Env(Map.of("SOCKETIO_PORT", "0", "GRPC_PORT", "0", "HOST", "127.0.0.1",
                "HERALD_DATA_DIR", dataDir.toString(), "JWT_SECRET", TestTokens.SECRET,
                "HERALD_API_KEYS", TestTokens.API_KEY, "LOG_FORMAT", "console", "LOG_LEVEL", "warn"));
        try (Herald herald = Herald.start(HeraldConfig.from(env), Clock.systemUTC())) {
            List<String> files;
            try (Stream<Path> listed = Files.list(work)) {
                files = listed.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".test.mjs")).sorted().toList();
            }
            NodeScripts.runPassing(files, Map.of("HERALD_URL", "http://127.0.0.1:" + herald.clientPort(),
                    "HERALD_TOKENS", Json.write(new TestTokens().interopSet()), "HERALD_API_KEY", TestTokens.API_KEY));
        }
    }
}
