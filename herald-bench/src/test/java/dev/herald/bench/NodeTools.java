package dev.herald.bench;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Whether Node and npm are on the PATH: the reference and the official-client load need both. */
final class NodeTools {
    static final Path REFERENCE = Path.of("..", "bench", "reference-socketio").toAbsolutePath().normalize();
    private static Boolean available;
    private static Boolean referenceInstalled;

    private NodeTools() {}

    static synchronized boolean available() {
        if (available == null) available = runs(null, 30, "node", "--version") && runs(null, 30, "npm", "--version");
        return available;
    }

    /** The reference's packages, installed by {@code npm ci} when its lock is newer than what is installed. */
    static synchronized boolean referenceInstalled() {
        if (referenceInstalled == null) {
            // npm records what it installed in node_modules/.package-lock.json.
            Path installed = REFERENCE.resolve("node_modules").resolve(".package-lock.json");
            try {
                boolean fresh = Files.exists(installed) && Files.getLastModifiedTime(REFERENCE.resolve("package-lock.json"))
                        .compareTo(Files.getLastModifiedTime(installed)) <= 0;
                referenceInstalled = fresh || runs(REFERENCE, 180, "npm", "ci", "--no-audit", "--no-fund");
            } catch (java.io.IOException e) {
                referenceInstalled = false;
            }
        }
        return referenceInstalled;
    }

    private static boolean runs(Path dir, int seconds, String... cmd) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(new File("/dev/null")).redirectError(ProcessBuilder.Redirect.INHERIT);
            if (dir != null) pb.directory(dir.toFile());
            Process p = pb.start();
            return p.waitFor(seconds, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
