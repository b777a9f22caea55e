package dev.herald.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * systemd socket activation, with systemd's own {@code systemd-socket-activate} holding the client
 * port: the node is killed, and a request sent while no Herald process exists is neither refused
 * nor lost but waits in the held socket's queue until the next process serves it.
 */
class SocketActivationTest {
    private static final Path ACTIVATOR = Path.of("/usr/bin/systemd-socket-activate");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path work;
    private Process holder;

    @AfterEach
    void stopEverything() {
        if (holder == null) return;
        holder.descendants().forEach(ProcessHandle::destroyForcibly);
        holder.destroyForcibly();
    }

    @Test
    void aRequestSentWhileTheNodeIsDownIsAnsweredByTheNextProcessOnTheHeldSocket() throws Exception {
        assumeTrue(Files.isExecutable(ACTIVATOR), "systemd-socket-activate is not installed");
        int port = HeraldProcess.freePort();
        holder = startHolder(port, 2);
        URI ready = URI.create("http://127.0.0.1:" + port + "/ready");
        // The activator starts its child on the first connection, which the child then serves.
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> get(ready).statusCode() == 200);
        long first = pid(1);
        assertThat(Files.readString(work.resolve("node.log"))).contains("inherited socket");

        ProcessHandle node = ProcessHandle.of(first).orElseThrow();
        node.destroyForcibly();
        node.onExit().get();
        CompletableFuture<HttpResponse<String>> duringOutage = CompletableFuture.supplyAsync(() -> {
            try {
                return HTTP.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        assertThat(duringOutage.get().statusCode()).isEqualTo(200);
        long second = pid(2);
        assertThat(second).isNotEqualTo(first);
        assertThat(ProcessHandle.of(second).map(ProcessHandle::isAlive)).contains(true);
    }

    private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private long pid(int run) throws IOException {
        Path file = work.resolve("node-" + run + ".pid");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(file) && !Files.readString(file).isBlank());
        return Long.parseLong(Files.readString(file).strip());
    }

    /** The activator holds the port and execs a loop that runs {@code runs} nodes one after the other. */
    private Process startHolder(int port, int runs) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path jar = Path.of(System.getProperty("herald.jar", "../herald-server/target/herald.jar")).toAbsolutePath();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOST", "127.0.0.1");
        env.put("SOCKETIO_PORT", Integer.toString(port));
        env.put("ENABLE_GRPC", "false");
        env.put("HERALD_DATA_DIR", work.resolve("data").toString());
        env.put("JWT_SECRET", Tokens.SECRET);
        env.put("HERALD_API_KEYS", Tokens.API_KEY);
        env.put("LOG_FORMAT", "console");
        List<String> script = new ArrayList<>(List.of("#!/usr/bin/env bash", "cd " + quote(work.toString())));
        env.forEach((k, v) -> script.add("export " + k + "=" + quote(v)));
        script.add("for run in $(seq 1 " + runs + "); do");
        // LISTEN_PID must name the process that reads it: the inner bash, which execs java in place.
        script.add("  bash -c 'LISTEN_PID=$$ exec \"$@\"' node " + quote(java) + " --enable-native-access=ALL-UNNAMED -Xmx256m -jar "
                + quote(jar.toString()) + " serve >>node.log 2>&1 &");
        script.add("  echo $! > node-$run.pid");
        script.add("  wait $!");
        script.add("done");
        Path file = work.resolve("supervise.sh");
        Files.write(file, script);
        ProcessBuilder builder = new ProcessBuilder(ACTIVATOR.toString(), "-l", "127.0.0.1:" + port, "bash", file.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("holder.log").toFile()));
        return HeraldProcess.reapOnExit(builder.start());
    }

    private static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
