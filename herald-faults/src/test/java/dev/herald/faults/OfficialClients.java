package dev.herald.faults;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The official npm {@code socket.io-client} in a Node process ({@code src/test/node/failover-client.mjs}),
 * installed with {@code npm ci} under target/ as herald-server's interop tests do, so src/ never
 * holds node_modules. What the clients see comes back as JSON lines, kept with the moment this JVM
 * read them.
 */
final class OfficialClients implements AutoCloseable {
    private static final Path SOURCES = Path.of("src/test/node");
    private static final Path WORK = Path.of("target/failover-node");

    /** One thing a client saw: its JSON line and when it was read here ({@link System#nanoTime}). */
    record Seen(JsonNode line, long readNanos) {
        String client() {
            return line.path("client").asText();
        }

        String event() {
            return line.path("event").asText();
        }
    }

    /** One client: a name, its user's token, and whether it reconnects by itself (the client's default). */
    record Spec(String name, String token, boolean reconnection) {}

    private final Process node;
    private final Path log;
    final List<Seen> seen = new CopyOnWriteArrayList<>();

    private OfficialClients(Process node, Path log) {
        this.node = node;
        this.log = log;
        Thread.ofPlatform().daemon().name("official-clients-reader").start(this::read);
    }

    /** Whether node and npm are on the PATH. */
    static boolean available() {
        return Stream.of("node", "npm").allMatch(tool -> Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool))));
    }

    static OfficialClients start(String url, List<Spec> clients, Path workDir) throws IOException, InterruptedException {
        Path dir = prepare();
        Path log = workDir.resolve("official-clients.stderr");
        ProcessBuilder pb = new ProcessBuilder("node", dir.resolve("failover-client.mjs").toAbsolutePath().toString())
                .directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("HERALD_URL", url);
        var array = Json.MAPPER.createArrayNode();
        for (Spec c : clients) array.addObject().put("name", c.name()).put("token", c.token()).put("reconnection", c.reconnection());
        pb.environment().put("CLIENTS", Json.write(array));
        return new OfficialClients(HeraldProcess.reapOnExit(pb.start()), log);
    }

    private static Path prepare() throws IOException, InterruptedException {
        Files.createDirectories(WORK);
        try (Stream<Path> files = Files.list(SOURCES)) {
            for (Path f : files.toList()) Files.copy(f, WORK.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(WORK.resolve("node_modules/socket.io-client"))) {
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
                    .directory(WORK.toFile()).redirectErrorStream(true).start();
            String out = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) throw new IOException("npm ci in " + WORK + " failed: " + out);
        }
        return WORK;
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                seen.add(new Seen(Json.parse(line, "client line"), System.nanoTime()));
            }
        } catch (IOException | RuntimeException e) {
            // The process ended or printed something else; what was read stays.
        }
    }

    /** What {@code client} saw of {@code event}, in order. */
    List<Seen> of(String client, String event) {
        return seen.stream().filter(s -> s.client().equals(client) && s.event().equals(event)).toList();
    }

    /** Waits for the {@code n}th (1-based) {@code event} of {@code client} matching {@code filter}. */
    Seen awaitEvent(String client, String event, int n, Duration bound, Predicate<JsonNode> filter) {
        await().atMost(bound).pollInterval(Duration.ofMillis(20)).until(() -> {
            if (!node.isAlive() && of(client, event).size() < n) {
                throw new IllegalStateException("the Node client exited with " + node.exitValue() + "; see " + log);
            }
            return of(client, event).stream().filter(s -> filter.test(s.line())).count() >= n;
        });
        return of(client, event).stream().filter(s -> filter.test(s.line())).skip(n - 1).findFirst().orElseThrow();
    }

    Seen awaitEvent(String client, String event, int n, Duration bound) {
        return awaitEvent(client, event, n, bound, line -> true);
    }

    @Override
    public void close() throws InterruptedException {
        try {
            node.getOutputStream().close();
        } catch (IOException e) {
            // already gone
        }
        if (!node.waitFor(5, TimeUnit.SECONDS)) node.destroyForcibly();
    }
}
