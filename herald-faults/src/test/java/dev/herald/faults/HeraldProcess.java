package dev.herald.faults;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One Herald node as a separate operating-system process ({@code java -jar herald.jar serve}),
 * configured only through environment variables, as an operator would run it. It can be killed
 * with SIGKILL ({@link #kill9}) or asked to stop with SIGTERM ({@link #terminate}); {@link #close}
 * always leaves no process behind.
 *
 * <p>The same node can be started again ({@link #restart}) on the same data directory, schema and
 * ports, so clients retry against the address they already know.
 */
public final class HeraldProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final HttpClient PROBE = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    // A test JVM that is itself stopped (a fork timeout) runs no AfterEach: leave no server behind.
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "herald-faults-reaper"));
    }

    private final String name;
    private final Map<String, String> env;
    private final Path workDir;
    private final Path log;
    private final int port;
    private Process process;
    private int starts;

    private HeraldProcess(String name, Map<String, String> env, Path workDir, int port) {
        this.name = name;
        this.env = env;
        this.workDir = workDir;
        this.log = workDir.resolve(name + ".log");
        this.port = port;
    }

    /**
     * Starts a node and waits until {@code /ready} answers 200.
     *
     * @param workDir where its data directory and log go (a test's temporary folder)
     * @param extra more variables (DATABASE_URL, REDIS_URL …); they win over the defaults here
     */
    public static HeraldProcess start(String name, Path workDir, Map<String, String> extra) throws IOException {
        int port = freePort();
        Map<String, String> env = new HashMap<>();
        env.put("HOST", "127.0.0.1");
        env.put("SOCKETIO_PORT", Integer.toString(port));
        env.put("ENABLE_GRPC", "false");
        env.put("HERALD_DATA_DIR", workDir.resolve(name + "-data").toString());
        env.put("JWT_SECRET", Tokens.SECRET);
        env.put("HERALD_API_KEYS", Tokens.API_KEY);
        env.put("NODE_ID", name + "-" + port);
        env.put("LOG_FORMAT", "console");
        // The creates are the load here, not the per-socket event limit.
        env.put("EVENTS_PER_SECOND", "10000");
        env.put("EVENT_BURST", "10000");
        // Fault runs drive one process hard from one address; its limits are tested elsewhere.
        for (String limit : new String[] {"RATE_LIMIT_API_PER_SECOND", "RATE_LIMIT_BROADCASTS_PER_MINUTE",
                "RATE_LIMIT_USER_EVENTS_PER_MINUTE", "RATE_LIMIT_HANDSHAKES_PER_IP_PER_MINUTE"}) env.put(limit, "0");
        env.putAll(extra);
        HeraldProcess node = new HeraldProcess(name, env, workDir, port);
        node.launch();
        return node;
    }

    /** Registers a child process to be killed if the test JVM exits before the test closes it. */
    static Process reapOnExit(Process child) {
        LIVE.add(child);
        child.onExit().thenRun(() -> LIVE.remove(child));
        return child;
    }

    public static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private static Path jar() {
        Path jar = Path.of(System.getProperty("herald.jar", "../herald-server/target/herald.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: herald-faults runs the packaged server; build it with"
                    + " ./mvnw -pl herald-faults -am verify (herald-server's package phase writes it)");
        }
        return jar;
    }

    private void launch() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // The launcher's flags (see ./herald), with a heap small enough for several nodes at once.
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30", "-Xmx512m", "-jar", jar().toString(), "serve"));
        // The working directory is the test's own folder, so no stray .env is read.
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().putAll(env);
        starts++;
        process = reapOnExit(builder.start());
        await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(this::ready);
    }

    private boolean ready() throws IOException, InterruptedException {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with " + process.exitValue() + " while starting; see " + log);
        }
        HttpResponse<Void> r = PROBE.send(HttpRequest.newBuilder(base().resolve("/ready")).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.discarding());
        return r.statusCode() == 200;
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    public String nodeId() {
        return env.get("NODE_ID");
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** How many times this node has been launched (1 after start, 2 after one restart …). */
    public int starts() {
        return starts;
    }

    /** SIGKILL: the JVM gets no chance to flush, close or answer anything. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) throw new IllegalStateException(name + " survived SIGKILL");
    }

    /** SIGTERM: the shutdown hook runs Herald's graceful close. Does not wait. */
    public void terminate() {
        process.destroy();
    }

    /**
     * Waits for the process to end after {@link #terminate}; returns its exit code.
     *
     * @throws IllegalStateException when it is still running after {@code timeout}
     */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(name + " still running " + timeout + " after SIGTERM; see " + log);
        }
        return process.exitValue();
    }

    /** Starts the node again with the same variables: same port, data directory, schema and node id. */
    public void restart() throws IOException {
        if (isAlive()) throw new IllegalStateException(name + " is still running");
        launch();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) kill9();
    }
}
