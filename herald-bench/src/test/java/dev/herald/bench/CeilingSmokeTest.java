package dev.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.bench.ceiling.CeilingServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CeilingSmokeTest extends SmokeContract {
    private static SmokeDatabase database;
    private static CeilingServer server;

    @BeforeAll
    static void startCeiling() throws Exception {
        database = SmokeDatabase.create();
        server = new CeilingServer("127.0.0.1", 0, SECRET, API_KEY, 1, database.url());
    }

    @AfterAll
    static void stopCeiling() throws Exception {
        if (server != null) server.close();
        if (database != null) database.close();
    }

    @Override protected int port() { return server.port(); }
    @Override protected String target() { return "ceiling"; }
    // The ceiling runs in this JVM: the probe reads this process with jcmd and /proc.
    @Override protected long serverPid() { return ProcessHandle.current().pid(); }
    @Override protected String memoryUrl() { return null; }

    @Test
    void answersNotificationsWith503WhenStartedWithoutADatabase() throws Exception {
        try (CeilingServer bare = new CeilingServer("127.0.0.1", 0, SECRET, API_KEY, 1, null);
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bare.port() + "/api/v1/notifications"))
                    .header("authorization", "Bearer " + API_KEY)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"recipients\":[\"u1\"],\"type\":\"t\",\"title\":\"x\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.body()).contains("--database-url");
        }
    }
}
