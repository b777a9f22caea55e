package dev.herald.broker.nats;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** A private nats-server on a free loopback port, for tests that must kill and restart NATS (never the shared 4222). */
public final class NatsServerProcess implements AutoCloseable {
    private static final String BINARY = "/usr/sbin/nats-server";
    private final int port;
    private final Path log;
    private Process process;

    private NatsServerProcess(int port, Path log) {
        this.port = port;
        this.log = log;
    }

    public static NatsServerProcess start() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        NatsServerProcess server = new NatsServerProcess(port, Files.createTempFile("herald-nats-", ".log"));
        server.launch();
        return server;
    }

    public String url() {
        return "nats://127.0.0.1:" + port;
    }

    public void launch() throws IOException {
        process = new ProcessBuilder(BINARY, "-a", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).ignoreExceptions().until(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return true;
            }
        });
    }

    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) kill();
    }
}
