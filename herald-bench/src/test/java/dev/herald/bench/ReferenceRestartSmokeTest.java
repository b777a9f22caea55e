package dev.herald.bench;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The restart scenario against the Node reference: nodes A and B are two server.js processes. */
class ReferenceRestartSmokeTest extends RestartSmokeContract {
    private Process nodeB;

    @Override
    protected String target() {
        return "reference";
    }

    @Override
    protected void assumeRunnable() {
        assumeTrue(NodeTools.available(), "node/npm not installed");
        assumeTrue(NodeTools.referenceInstalled(), "npm ci of the reference failed (offline?)");
    }

    @Override
    protected int startNodeB(String databaseUrl, Path dir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("node", "server.js").directory(NodeTools.REFERENCE.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("PORT", "0");
        pb.environment().put("JWT_SECRET", SmokeContract.SECRET);
        pb.environment().put("HERALD_API_KEYS", SmokeContract.API_KEY);
        pb.environment().put("DATABASE_URL", databaseUrl);
        nodeB = pb.start();
        String line = new BufferedReader(new InputStreamReader(nodeB.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assumeTrue(line != null && line.startsWith("listening "), "node B of the reference did not start");
        return Integer.parseInt(line.substring("listening ".length()).trim());
    }

    @Override
    protected void stopNodeB() throws Exception {
        if (nodeB == null) return;
        nodeB.destroy();
        if (!nodeB.waitFor(5, TimeUnit.SECONDS)) nodeB.destroyForcibly();
    }

    @Override
    protected String nodeA(int port, String databaseUrl, Path dir) {
        return "cd '" + NodeTools.REFERENCE + "' && exec env PORT=" + port + " JWT_SECRET=" + SmokeContract.SECRET
                + " HERALD_API_KEYS=" + SmokeContract.API_KEY + " DATABASE_URL='" + databaseUrl + "' node server.js";
    }
}
