package dev.herald.bench;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.herald.server.Herald;
import dev.herald.server.config.Env;
import dev.herald.server.config.HeraldConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** The restart scenario against Herald: node A is the built herald.jar, node B runs in this JVM. */
class RestartSmokeTest extends RestartSmokeContract {
    private static final Path JAR = Path.of("..", "herald-server", "target", "herald.jar").toAbsolutePath().normalize();

    private Herald nodeB;

    @Override
    protected String target() {
        return "herald";
    }

    @Override
    protected void assumeRunnable() {
        assumeTrue(NodeTools.available(), "node/npm not installed");
        assumeTrue(Files.exists(JAR), "herald-server/target/herald.jar is not built");
    }

    @Override
    protected int startNodeB(String databaseUrl, Path dir) {
        nodeB = Herald.start(HeraldConfig.from(new Env(Map.of("HOST", "127.0.0.1", "SOCKETIO_PORT", "0", "GRPC_PORT", "0",
                "JWT_SECRET", SmokeContract.SECRET, "HERALD_API_KEYS", SmokeContract.API_KEY, "SHUTDOWN_TIMEOUT_SECONDS", "1",
                "HERALD_DATA_DIR", dir.resolve("b").toString(), "DATABASE_URL", databaseUrl))), Clock.systemUTC());
        return nodeB.clientPort();
    }

    @Override
    protected void stopNodeB() {
        if (nodeB != null) nodeB.close();
    }

    @Override
    protected String nodeA(int port, String databaseUrl, Path dir) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return "exec env HOST=127.0.0.1 SOCKETIO_PORT=" + port + " GRPC_PORT=" + freePort() + " JWT_SECRET=" + SmokeContract.SECRET
                + " HERALD_API_KEYS=" + SmokeContract.API_KEY + " SHUTDOWN_TIMEOUT_SECONDS=2 LOG_LEVEL=warn RATE_LIMIT_API_PER_SECOND=0"
                + " RATE_LIMIT_HANDSHAKES_PER_IP_PER_MINUTE=0 HERALD_DATA_DIR=" + dir.resolve("a") + " DATABASE_URL='" + databaseUrl
                + "' " + java + " --enable-native-access=ALL-UNNAMED -jar " + JAR + " serve";
    }
}
