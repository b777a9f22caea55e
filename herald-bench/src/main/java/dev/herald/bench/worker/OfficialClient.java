package dev.herald.bench.worker;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The official npm {@code socket.io-client} as the load: {@code bench/official-client/worker.js},
 * a Node process per worker speaking {@link Worker}'s protocol. What users meet is what that client
 * makes a server do (its handshake, its packet framing, its ping answers), which the Netty
 * generator only imitates; both are kept so each figure can be read against the other.
 */
final class OfficialClient {
    /** The {@code --protocol} value that selects this client. */
    static final String PROTOCOL = "official";

    private static volatile boolean installed;

    private OfficialClient() {}

    static List<String> command(String specJson, int connections) throws IOException {
        Path dir = directory();
        install(dir);
        // Each socket.io-client socket with its own Manager holds ~20-40 KB of V8 heap.
        int heapMb = 256 + connections / 20;
        return List.of("node", "--max-old-space-size=" + heapMb, dir.resolve("worker.js").toString(), specJson);
    }

    /**
     * {@code herald.bench.officialClientDir}, else {@code BENCH_OFFICIAL_CLIENT_DIR}, else {@code
     * bench/official-client} of the checkout this class was loaded from (target/classes or the jar).
     */
    static Path directory() throws IOException {
        String configured = System.getProperty("herald.bench.officialClientDir", System.getenv("BENCH_OFFICIAL_CLIENT_DIR"));
        if (configured != null && !configured.isBlank()) return Path.of(configured).toAbsolutePath();
        try {
            Path here = Path.of(OfficialClient.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path p = here; p != null; p = p.getParent()) {
                Path candidate = p.resolve("bench").resolve("official-client").resolve("worker.js");
                if (Files.exists(candidate)) return candidate.getParent();
            }
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate bench/official-client", e);
        }
        throw new IOException("bench/official-client not found: set BENCH_OFFICIAL_CLIENT_DIR");
    }

    /** {@code npm ci} once per run when node_modules is missing or older than the lock file. */
    private static synchronized void install(Path dir) throws IOException {
        if (installed) return;
        Path marker = dir.resolve("node_modules").resolve(".package-lock.json");
        if (!Files.exists(marker)
                || Files.getLastModifiedTime(dir.resolve("package-lock.json")).compareTo(Files.getLastModifiedTime(marker)) > 0) {
            Process p = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(dir.toFile())
                    .redirectOutput(new File("/dev/null")).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try {
                if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    p.destroyForcibly();
                    throw new IOException("npm ci in " + dir + " failed");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted during npm ci", e);
            }
        }
        installed = true;
    }
}
