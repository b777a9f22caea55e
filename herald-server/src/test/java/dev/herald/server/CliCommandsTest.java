package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.server.config.Env;
import dev.herald.server.config.HeraldConfig;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code herald send}, {@code herald migrate} and {@code herald doctor} against real peers. */
class CliCommandsTest {
    private static final String PG = "postgres://postgres@127.0.0.1:5432/test";

    @TempDir
    Path dataDir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    private final String schema = "cli_" + UUID.randomUUID().toString().substring(0, 8);
    private PrintStream stdout, stderr;

    @BeforeEach
    void capture() {
        stdout = System.out;
        stderr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() throws Exception {
        System.setOut(stdout);
        System.setErr(stderr);
        try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
             var st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private int run(Map<String, String> env, String... args) {
        out.reset();
        err.reset();
        return Main.run(args, new Env(env));
    }

    private String printed() {
        return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void doctorPassesAGoodClusterConfigurationOnceMigrated() throws Exception {
        try (ServerSocket smtp = new ServerSocket(0)) {
            // A peer that greets as SMTP servers do, once per doctor run, until the test closes it.
            Thread.ofVirtual().start(() -> {
                while (!smtp.isClosed()) {
                    try (Socket s = smtp.accept(); OutputStream o = s.getOutputStream()) {
                        o.write("220 mail.test ESMTP ready\r\n".getBytes(StandardCharsets.US_ASCII));
                        o.flush();
                        s.getInputStream().read();
                    } catch (Exception ignored) {
                        // the doctor hung up after the greeting, or the test closed the socket
                    }
                }
            });
            Map<String, String> env = new HashMap<>(Map.of("HERALD_DATA_DIR", dataDir.toString(), "DATABASE_URL", PG,
                    "DATABASE_SCHEMA", schema, "REDIS_URL", "redis://127.0.0.1:6379", "NATS_URL", "nats://127.0.0.1:4222",
                    "JWT_SECRET", TestTokens.SECRET, "HERALD_API_KEYS", TestTokens.API_KEY, "SOCKETIO_PORT", "0",
                    "ALLOWED_ORIGINS", "https://app.example"));
            env.put("SMTP_URL", "smtp://127.0.0.1:" + smtp.getLocalPort());
            env.put("EMAIL_FROM", "Herald <herald@app.example>"); // required with SMTP_URL

            assertThat(run(env, "doctor")).as(printed()).isEqualTo(0);
            assertThat(printed()).contains("warn  store: PostgreSQL at 127.0.0.1:5432/test answers, but schema " + schema
                    + " has no migration history yet: run `herald migrate`");

            assertThat(run(env, "migrate")).as(printed()).isZero();
            assertThat(printed()).contains("herald migrate:").contains("is up to date").doesNotContain("postgres@");

            assertThat(run(env, "doctor")).as(printed()).isZero();
            assertThat(printed())
                    .contains("ok    configuration: every variable is valid")
                    .contains("ok    store: PostgreSQL at 127.0.0.1:5432/test answers, schema " + schema + " is migrated")
                    .contains("ok    Redis: 127.0.0.1:6379 answered PING")
                    .contains("ok    NATS: 127.0.0.1:4222 (JetStream on) greeted")
                    .contains("ok    SMTP: 127.0.0.1:" + smtp.getLocalPort() + " greeted: 220 mail.test ESMTP ready")
                    .contains("herald doctor: nothing is off").doesNotContain("FAIL").doesNotContain("warn");
        }
    }

    @Test
    void doctorNamesABadVariableAndExitsNonZero() {
        assertThat(run(Map.of("MAX_CONNECTIONS", "lots", "HERALD_DATA_DIR", dataDir.toString()), "doctor")).isEqualTo(1);
        assertThat(printed()).contains("FAIL  configuration: MAX_CONNECTIONS").contains("lots")
                .contains("herald doctor: 1 problem found");
    }

    @Test
    void doctorWarnsThatTheClientPortIsTakenAndByWhomItMayBe() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            run(Map.of("HERALD_DATA_DIR", dataDir.toString(), "HOST", "127.0.0.1",
                    "SOCKETIO_PORT", String.valueOf(taken.getLocalPort()), "JWT_SECRET", TestTokens.SECRET), "doctor");
            assertThat(printed()).contains("warn  client port: 127.0.0.1:" + taken.getLocalPort() + " is in use")
                    .contains("systemd's herald.socket holding it");
        }
    }

    @Test
    void doctorSaysWhichPeersAreUnreachableAndWhatAClusterNodeLacks() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Map<String, String> env = Map.of("HERALD_DATA_DIR", dataDir.toString(), "SOCKETIO_PORT", "0",
                "REDIS_URL", "redis://127.0.0.1:" + closed, "NATS_URL", "nats://127.0.0.1:" + closed,
                "SMTP_URL", "smtp://127.0.0.1:" + closed, "EMAIL_FROM", "herald@app.example");

        assertThat(run(env, "doctor")).isEqualTo(1);
        assertThat(printed())
                .contains("FAIL  JWT_SECRET: not set on a cluster node")
                .contains("FAIL  DATABASE_URL: not set on a cluster node")
                .contains("warn  HERALD_API_KEYS: empty")
                .contains("FAIL  Redis: 127.0.0.1:" + closed + ": Connection refused")
                .contains("FAIL  NATS: 127.0.0.1:" + closed + ": Connection refused")
                .contains("FAIL  SMTP: 127.0.0.1:" + closed + ": Connection refused")
                .contains("herald doctor: 5 problems found");

        assertThat(run(Map.of("HERALD_DATA_DIR", dataDir.toString(), "SOCKETIO_PORT", "0", "JWT_SECRET", TestTokens.SECRET,
                "DATABASE_URL", "postgres://postgres@127.0.0.1:" + closed + "/test"), "doctor")).isEqualTo(1);
        assertThat(printed()).contains("FAIL  store: PostgreSQL at 127.0.0.1:" + closed + "/test:");
    }

    @Test
    void sendCreatesANotificationThroughTheRestApi() throws Exception {
        Env serverEnv = new Env(Map.of("SOCKETIO_PORT", "0", "ENABLE_GRPC", "false", "HOST", "127.0.0.1",
                "HERALD_DATA_DIR", dataDir.toString(), "JWT_SECRET", TestTokens.SECRET, "HERALD_API_KEYS", TestTokens.API_KEY,
                "LOG_LEVEL", "warn"));
        try (Herald herald = Herald.start(HeraldConfig.from(serverEnv), Clock.systemUTC())) {
            String server = "http://127.0.0.1:" + herald.clientPort();
            assertThat(run(Map.of("HERALD_API_KEY", TestTokens.API_KEY), "send", "--server", server, "--user", "cleo",
                    "--title", "From the CLI", "-m", "It works", "--type", "cli-test", "--channels", "inApp")).as(printed()).isZero();
            String id = out.toString(StandardCharsets.UTF_8).strip();
            HttpResponse<String> stored = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(server + "/api/v1/notifications/" + id + "?userId=cleo"))
                    .header("authorization", "Bearer " + TestTokens.API_KEY).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(stored.statusCode()).isEqualTo(200);
            assertThat(stored.body()).contains("\"title\":\"From the CLI\"").contains("\"message\":\"It works\"")
                    .contains("\"type\":\"cli-test\"");

            assertThat(run(Map.of(), "send", "--server", server, "--api-key", "not-a-known-key-000000", "--user", "cleo",
                    "--title", "x")).isEqualTo(1);
            assertThat(printed()).contains("refused (401 UNAUTHENTICATED)");
            assertThat(run(Map.of(), "send", "--server", server, "--user", "cleo", "--title", "x")).isEqualTo(2);
            assertThat(printed()).contains("no API key");
        }
        assertThat(run(Map.of("HERALD_API_KEY", TestTokens.API_KEY), "send", "--server", "http://127.0.0.1:1", "--user", "u",
                "--title", "x")).isEqualTo(3);
        assertThat(printed()).contains("cannot reach http://127.0.0.1:1");
    }
}
