package dev.herald.bench;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The same smoke runs against the Node reference; skipped where Node (or its packages) is missing. */
class ReferenceSmokeTest extends SmokeContract {
    private static SmokeDatabase database;
    private static Process node;
    private static int port;

    @BeforeAll
    static void startReference() throws Exception {
        assumeTrue(NodeTools.available(), "node/npm not installed");
        assumeTrue(NodeTools.referenceInstalled(), "npm ci of the reference failed (offline?)");
        database = SmokeDatabase.create();
        ProcessBuilder pb = new ProcessBuilder("node", "--expose-gc", "server.js").directory(NodeTools.REFERENCE.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("PORT", "0");
        pb.environment().put("JWT_SECRET", SECRET);
        pb.environment().put("HERALD_API_KEYS", API_KEY);
        pb.environment().put("DATABASE_URL", database.url());
        node = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assumeTrue(line != null && line.startsWith("listening "), "the reference did not start");
        port = Integer.parseInt(line.substring("listening ".length()).trim());
    }

    @AfterAll
    static void stopReference() throws Exception {
        if (node != null) {
            node.destroy();
            if (!node.waitFor(5, TimeUnit.SECONDS)) node.destroyForcibly();
        }
        if (database != null) database.close();
    }

    @Override protected int port() { return port; }
    @Override protected String target() { return "reference"; }
    @Override protected long serverPid() { return node.pid(); }
    @Override protected String memoryUrl() { return "http://127.0.0.1:" + port + "/bench/memory"; }
}
