package dev.herald.bench;

import dev.herald.bench.ceiling.CeilingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class CeilingSmokeTest extends SmokeContract {
    private static CeilingServer server;

    @BeforeAll
    static void startCeiling() throws InterruptedException {
        server = new CeilingServer("127.0.0.1", 0, SECRET, API_KEY, 1);
    }

    @AfterAll
    static void stopCeiling() {
        server.close();
    }

    @Override protected int port() { return server.port(); }
    @Override protected String target() { return "ceiling"; }
    // The ceiling runs in this JVM: the probe reads this process with jcmd and /proc.
    @Override protected long serverPid() { return ProcessHandle.current().pid(); }
    @Override protected String memoryUrl() { return null; }
}
