package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.Json;
import dev.herald.server.config.Env;
import dev.herald.server.config.HeraldConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the official {@code socket.io-client} 4.8 (installed from npm) and a plain {@code ws} client in
 * Node against a started Herald: both Socket.IO transports and the upgrade, acks, binary, every
 * auth refusal code, a refused room join, presence, a server-side disconnect and reconnect, the per-user
 * cap, and /ws (see src/test/node).
 */
class OfficialClientInteropTest {
    private static final Path NODE_SOURCES = Path.of("src/test/node");

    @TempDir
    Path dataDir;

    @Test
    void theOfficialSocketIoClientAndAPlainWebSocketClientWorkAgainstHerald() throws Exception {
        Path work = prepareNodeProject();
        Env env = new Env(Map.of("SOCKETIO_PORT", "0", "GRPC_PORT", "0", "HOST", "127.0.0.1",
                "HERALD_DATA_DIR", dataDir.toString(), "JWT_SECRET", TestTokens.SECRET,
                "HERALD_API_KEYS", TestTokens.API_KEY, "LOG_FORMAT", "console", "LOG_LEVEL", "warn"));
        try (Herald herald = Herald.start(HeraldConfig.from(env), Clock.systemUTC())) {
            List<String> command = new ArrayList<>(List.of("node", "--test", "--test-concurrency=1", "--test-reporter=spec"));
            try (Stream<Path> files = Files.list(work)) {
                files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".test.mjs")).sorted().forEach(command::add);
            }
            ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true);
            pb.environment().put("HERALD_URL", "http://127.0.0.1:" + herald.clientPort());
            pb.environment().put("HERALD_TOKENS", Json.write(new TestTokens().interopSet()));
            pb.environment().put("HERALD_API_KEY", TestTokens.API_KEY);
            Process node = pb.start();
            String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            boolean finished = node.waitFor(5, TimeUnit.MINUTES);
            System.out.println(output);
            assertThat(finished).as("node test run finished").isTrue();
            assertThat(node.exitValue()).as(output).isZero();
            assertThat(output).contains("ℹ fail 0").doesNotContain("ℹ pass 0\n");
        }
    }

    private static Path prepareNodeProject() throws IOException, InterruptedException {
        return NodeScripts.prepare();
    }
}
