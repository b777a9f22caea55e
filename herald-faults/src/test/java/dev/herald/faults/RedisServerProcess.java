package dev.herald.faults;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private redis-server on a free loopback port, for scenarios that kill Redis or must not share
 * cluster state with other tests (the shared instance on 6379 is never touched). No persistence:
 * a restart starts empty, as a crashed cache without AOF would. herald-broker has its own twin of
 * this helper; test classes are not shared across modules.
 */
final class RedisServerProcess implements AutoCloseable {
    private static final String BINARY = "/usr/bin/redis-server";
    private final int port;
    private final Path dir;
    private Process process;

    private RedisServerProcess(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    static RedisServerProcess start() throws IOException {
        RedisServerProcess server = new RedisServerProcess(HeraldProcess.freePort(), Files.createTempDirectory("herald-faults-redis-"));
        server.launch();
        return server;
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts the server (again) on the same port. */
    void launch() throws IOException {
        process = HeraldProcess.reapOnExit(new ProcessBuilder(List.of(BINARY, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--logfile", ""))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()))
                .start());
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).ignoreExceptions().until(this::answersPing);
    }

    /** SIGKILL, as a crash would. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) throw new IllegalStateException("redis-server survived SIGKILL");
    }

    private boolean answersPing() throws IOException {
        if (!process.isAlive()) throw new IllegalStateException("redis-server exited; see " + dir.resolve("redis.log"));
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            s.setSoTimeout(500);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = in.readNBytes(5);
            return new String(buf, StandardCharsets.US_ASCII).equals("+PONG");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) kill();
    }
}
