package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.HeraldException;
import dev.herald.server.config.Env;
import dev.herald.server.config.HeraldConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A start that fails halfway stops with the failing part's own error and leaves no port serving. */
class HeraldStartTest {
    @TempDir
    Path dir;

    private Map<String, String> env(int clientPort) {
        Map<String, String> env = new HashMap<>(Map.of("HOST", "127.0.0.1", "SOCKETIO_PORT", Integer.toString(clientPort),
                "JWT_SECRET", "0123456789abcdef0123456789abcdef-test", "HERALD_DATA_DIR", dir.resolve("data").toString(),
                "SHUTDOWN_TIMEOUT_SECONDS", "1"));
        return env;
    }

    @Test
    void aStoreThatCannotOpenStopsTheStartWithItsOwnError() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
        Map<String, String> env = env(freePort());
        env.put("ENABLE_GRPC", "false");
        env.put("HERALD_DATA_DIR", file.resolve("data").toString());

        assertThatThrownBy(() -> Herald.start(HeraldConfig.from(new Env(env)), Clock.systemUTC()))
                .isInstanceOf(HeraldException.class).hasMessageContaining("cannot create data directory");
    }

    @Test
    void aGrpcPortAlreadyTakenStopsTheStartAndClosesTheClientPortItHadOpened() throws Exception {
        int clientPort = freePort();
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Map<String, String> env = env(clientPort);
            env.put("GRPC_PORT", Integer.toString(taken.getLocalPort()));

            assertThatThrownBy(() -> Herald.start(HeraldConfig.from(new Env(env)), Clock.systemUTC())).isNotNull();
        }
        assertThatThrownBy(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), clientPort), 2000);
            }
        }).isInstanceOf(ConnectException.class);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
