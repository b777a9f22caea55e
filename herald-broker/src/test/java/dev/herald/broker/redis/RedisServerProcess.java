package dev.herald.broker.redis;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A private redis-server on a free loopback port, for tests that must stop and restart Redis
 * (the shared instance on 6379 is never touched). No persistence: a restart starts empty.
 */
public final class RedisServerProcess implements AutoCloseable {
    private static final String BINARY = "/usr/bin/redis-server";
    private final int port;
    private final Path dir;
    private final List<String> extraArgs;
    private Process process;

    private RedisServerProcess(int port, Path dir, List<String> extraArgs) {
        this.port = port;
        this.dir = dir;
        this.extraArgs = extraArgs;
    }

    /** @param extraArgs more redis-server options, e.g. {@code --requirepass secret} */
    public static RedisServerProcess start(String... extraArgs) throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        RedisServerProcess server = new RedisServerProcess(port, Files.createTempDirectory("herald-redis-"), List.of(extraArgs));
        server.launch();
        return server;
    }

    public int port() {
        return port;
    }

    public RedisConfig config() {
        return RedisConfig.of("127.0.0.1", port);
    }

    public void launch() throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(BINARY, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--logfile", ""));
        command.addAll(extraArgs);
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile())
                .start();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).ignoreExceptions().until(this::answersPing);
    }

    /** Kills the server abruptly, as a crash would. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
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
            byte[] buf = new byte[7];
            int n = in.readNBytes(buf, 0, 7);
            String reply = new String(buf, 0, n, StandardCharsets.US_ASCII);
            // With --requirepass the answer is -NOAUTH: still proof that the server is serving.
            return reply.startsWith("+PONG") || reply.startsWith("-NOAUTH");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) kill();
    }
}
