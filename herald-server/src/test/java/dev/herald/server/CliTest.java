package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.auth.JwtAuthenticator;
import dev.herald.api.auth.JwtConfig;
import dev.herald.core.auth.Principal;
import dev.herald.server.config.Env;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    @TempDir
    Path dataDir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    private PrintStream stdout, stderr;

    @BeforeEach
    void capture() {
        stdout = System.out;
        stderr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(stdout);
        System.setErr(stderr);
    }

    private int run(Map<String, String> env, String... args) {
        return Main.run(args, new Env(env));
    }

    @Test
    void configPrintsEverySettingWithSecretsMasked() {
        int code = run(Map.of("JWT_SECRET", TestTokens.SECRET, "DATABASE_URL", "postgres://app:hunter2@db:5432/herald",
                "SOCKETIO_PORT", "4000"), "config");

        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(code).isZero();
        assertThat(text).contains("SOCKETIO_PORT").contains("4000").contains("GRPC_PORT").contains("50053 (default)");
        assertThat(text).doesNotContain(TestTokens.SECRET).doesNotContain("hunter2").contains("postgres://****@db:5432/herald");
    }

    @Test
    void configRefusesABadValueNamingTheVariable() {
        int code = run(Map.of("MAX_CONNECTIONS", "lots"), "config");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("MAX_CONNECTIONS").contains("lots");
    }

    @Test
    void tokenMintsAJwtTheServerAcceptsWithTheGeneratedSecret() throws Exception {
        Map<String, String> env = Map.of("HERALD_DATA_DIR", dataDir.toString());

        int code = run(env, "token", "--user", "alice", "--team", "acme", "--roles", "admin,service", "--ttl", "15m");

        assertThat(code).isZero();
        byte[] secret = Files.readString(dataDir.resolve("jwt-secret")).strip().getBytes(StandardCharsets.UTF_8);
        Principal p = new JwtAuthenticator(new JwtConfig(secret, null, null, null, null), Clock.systemUTC())
                .authenticate(out.toString(StandardCharsets.UTF_8).strip());
        assertThat(p.userId()).isEqualTo("alice");
        assertThat(p.teamId()).isEqualTo("acme");
        assertThat(p.roles()).containsExactlyInAnyOrder("admin", "service");
        assertThat(p.expiresAt()).isBefore(java.time.Instant.now().plusSeconds(16 * 60));
    }

    @Test
    void tokenTellsOnStderrHowToConnectOverWssWhenTlsIsOn() throws Exception {
        Path cert = Files.writeString(dataDir.resolve("cert.pem"), "x"), key = Files.writeString(dataDir.resolve("key.pem"), "x");

        int code = run(Map.of("HERALD_DATA_DIR", dataDir.toString(), "SOCKETIO_PORT", "3443", "TLS_CERT_FILE", cert.toString(),
                "TLS_KEY_FILE", key.toString()), "token", "--user", "alice");

        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).strip()).doesNotContain(" ").hasLineCount(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("wss://localhost:3443/ws?token=").contains("https://localhost:3443");
    }

    @Test
    void tokenRefusesAMalformedTtl() {
        int code = run(Map.of("HERALD_DATA_DIR", dataDir.toString()), "token", "--user", "a", "--ttl", "forever");

        assertThat(code).isNotZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--ttl");
    }

    @Test
    void tokenRefusesATtlTheServerWouldRefuseNamingTheMaximum() {
        int code = run(Map.of("HERALD_DATA_DIR", dataDir.toString()), "token", "--user", "a", "--ttl", "30d");

        assertThat(code).isNotZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--ttl").contains("JWT_MAX_LIFETIME_SECONDS");
    }

    @Test
    void tokenMintsASevenDayTokenUnderTheDefaultMaximum() {
        int code = run(Map.of("HERALD_DATA_DIR", dataDir.toString()), "token", "--user", "a", "--ttl", "7d");

        assertThat(code).isZero();
    }
}
