package dev.herald.bench;

import java.io.File;
import java.util.concurrent.TimeUnit;

/** Whether Node and npm are on the PATH: the reference and the official-client load need both. */
final class NodeTools {
    private static Boolean available;

    private NodeTools() {}

    static synchronized boolean available() {
        if (available == null) available = runs("node", "--version") && runs("npm", "--version");
        return available;
    }

    private static boolean runs(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(new File("/dev/null")).redirectErrorStream(true).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
