package dev.herald.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeraldConfigTest {
    @Test
    void startsWithTheSeedDefaultsWhenNothingIsSet() {
        HeraldConfig c = HeraldConfig.from(new Env(Map.of()));

        assertThat(c.network().clientPort()).isEqualTo(3000);
        assertThat(c.network().grpcPort()).isEqualTo(50053);
        assertThat(c.protocol().pingInterval()).isEqualTo(Duration.ofSeconds(25));
        assertThat(c.protocol().pingTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.protocol().maxPayloadBytes()).isEqualTo(1_000_000);
        assertThat(c.limits().maxConnectionsPerUser()).isEqualTo(5);
        assertThat(c.limits().presenceNoticeWindow()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.storage().databaseUrl()).isEmpty();
        assertThat(c.auth().jwtSecret()).isEmpty();
    }

    @Test
    void takesAZeroPresenceNoticeWindowAsAtOnceAndRefusesOnePastAMinute() {
        assertThat(HeraldConfig.from(new Env(Map.of("PRESENCE_NOTICE_WINDOW_MS", "0"))).limits().presenceNoticeWindow()).isZero();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HeraldConfig.from(new Env(Map.of("PRESENCE_NOTICE_WINDOW_MS", "60001"))))
                .hasMessageContaining("PRESENCE_NOTICE_WINDOW_MS");
    }

    @Test
    void requiresExpAndBoundsTokensToSevenDaysByDefault() {
        HeraldConfig.TokenLifetime t = HeraldConfig.from(new Env(Map.of())).auth().tokens();

        assertThat(t.requireExp()).isTrue();
        assertThat(t.maxLifetime()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void readsTheTokenLifetimeRulesAndRefusesANegativeMaximum() {
        HeraldConfig.TokenLifetime t = HeraldConfig.from(new Env(Map.of("JWT_REQUIRE_EXP", "false",
                "JWT_MAX_LIFETIME_SECONDS", "0"))).auth().tokens();

        assertThat(t.requireExp()).isFalse();
        assertThat(t.maxLifetime()).isZero();
        assertThatThrownBy(() -> HeraldConfig.from(new Env(Map.of("JWT_MAX_LIFETIME_SECONDS", "-5"))))
                .hasMessageContaining("JWT_MAX_LIFETIME_SECONDS");
    }

    @Test
    void namesTheVariableOfABadValue() {
        assertThatThrownBy(() -> HeraldConfig.from(new Env(Map.of("SOCKETIO_PORT", "eighty"))))
                .hasMessageContaining("SOCKETIO_PORT").hasMessageContaining("eighty");
        assertThatThrownBy(() -> HeraldConfig.from(new Env(Map.of("PING_INTERVAL_SECONDS", "0"))))
                .hasMessageContaining("PING_INTERVAL_SECONDS");
        assertThatThrownBy(() -> HeraldConfig.from(new Env(Map.of("LOG_FORMAT", "xml"))))
                .hasMessageContaining("LOG_FORMAT");
        assertThatThrownBy(() -> HeraldConfig.from(new Env(Map.of("REDIS_URL", "localhost:6379"))))
                .hasMessageContaining("REDIS_URL");
    }

    @Test
    void refusesAJwtSecretTooShortForHs256() {
        assertThatThrownBy(() -> HeraldConfig.from(new Env(Map.of("JWT_SECRET", "your-secret-key-here"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("JWT_SECRET").hasMessageNotContaining("your-secret");
    }

    @Test
    void refusesToDisableBothTransports() {
        assertThatThrownBy(() -> HeraldConfig.from(new Env(Map.of("ENABLE_WEBSOCKET", "false", "ENABLE_POLLING", "no"))))
                .hasMessageContaining("ENABLE_POLLING");
    }

    @Test
    void readsADotEnvFileUnderTheRealEnvironment(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(".env");
        Files.writeString(file, "# comment\nexport SOCKETIO_PORT=4000\nGRPC_PORT=\"5000\"\nLOG_LEVEL=debug # inline\n");

        HeraldConfig c = HeraldConfig.from(Env.load(Map.of("GRPC_PORT", "6000"), file));

        assertThat(c.network().clientPort()).isEqualTo(4000);
        assertThat(c.network().grpcPort()).isEqualTo(6000);
        assertThat(c.ops().logLevel()).isEqualTo(HeraldConfig.LogLevel.DEBUG);
    }

    @Test
    void masksSecretsAndUrlPasswordsForDisplay() {
        Setting db = Setting.ALL.stream().filter(s -> s.name().equals("DATABASE_URL")).findFirst().orElseThrow();
        Setting secret = Setting.ALL.stream().filter(s -> s.name().equals("JWT_SECRET")).findFirst().orElseThrow();

        assertThat(db.display("postgres://bob:hunter2@db:5432/herald")).isEqualTo("postgres://****@db:5432/herald");
        assertThat(secret.display("0123456789abcdef0123456789abcdef")).isEqualTo("****");
        assertThat(new Secret("x").toString()).isEqualTo("****");
    }

    @Test
    void theReadmeTableListsExactlySettingAll() throws Exception {
        java.util.Set<String> documented = new java.util.TreeSet<>();
        java.util.regex.Matcher row = java.util.regex.Pattern.compile("(?m)^\\| `([A-Z][A-Z0-9_]+)` \\|")
                .matcher(Files.readString(Path.of("..", "README.md")));
        while (row.find()) documented.add(row.group(1));

        assertThat(documented).isEqualTo(names(Setting.ALL));
    }

    @Test
    void heraldReadsExactlyTheVariablesSettingAllLists() {
        // Every optional branch taken, so each conditional read happens: a webhook channel, a membership
        // hook, encryption with an old key, every ingestion source with the shipped rules file.
        Env env = new Env(Map.ofEntries(
                Map.entry("WEBHOOK_SIGNING_SECRET", "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32])),
                Map.entry("MEMBERSHIP_URL", "https://members.example.org/check"),
                Map.entry("HERALD_ENCRYPTION_KEY", "k2:" + java.util.Base64.getEncoder().encodeToString(new byte[32])),
                Map.entry("HERALD_ENCRYPTION_OLD_KEYS", "k1:" + java.util.Base64.getEncoder().encodeToString(new byte[32])),
                Map.entry("METRICS_PORT", "9090"),
                Map.entry("NATS_URL", "nats://127.0.0.1:4222"), Map.entry("NATS_INGEST", "true"),
                Map.entry("HERALD_RULES_FILE", java.nio.file.Path.of("..", "docs", "examples", "rules.yaml").toString()),
                Map.entry("REDIS_URL", "redis://127.0.0.1:6379"), Map.entry("REDIS_INGEST_SEND", "true"),
                Map.entry("REDIS_INGEST_STREAM", "true")));
        HeraldConfig.from(env);
        java.util.Set<String> asked = new java.util.TreeSet<>(env.asked());
        // Read by `herald send`, a client of the server, not by the server's configuration.
        asked.add(dev.herald.server.SendCommand.API_KEY_VARIABLE);

        assertThat(asked).isEqualTo(names(Setting.ALL));
    }

    private static java.util.Set<String> names(java.util.List<Setting> settings) {
        return new java.util.TreeSet<>(settings.stream().map(Setting::name).toList());
    }

    @Test
    void readsTheEncryptionKeysWithTheirIdsAndRefusesABadOne() {
        String k = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        HeraldConfig c = HeraldConfig.from(new Env(Map.of("HERALD_ENCRYPTION_KEY", "k2:" + k, "HERALD_ENCRYPTION_OLD_KEYS", "k1:" + k)));
        assertThat(c.data().encryption().currentKeyId()).isEqualTo("k2");
        assertThat(c.data().encryption().keyIds()).containsExactlyInAnyOrder("k1", "k2");
        assertThat(HeraldConfig.from(new Env(Map.of("HERALD_ENCRYPTION_KEY", k))).data().encryption().currentKeyId()).isEqualTo("k1");

        assertThatThrownBy(() -> HeraldConfig.from(new Env(Map.of("HERALD_ENCRYPTION_KEY", "k1:" + java.util.Base64.getEncoder()
                .encodeToString(new byte[16]))))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("HERALD_ENCRYPTION_KEY key 'k1' must be 32 bytes");
        assertThatThrownBy(() -> HeraldConfig.from(new Env(Map.of("HERALD_ENCRYPTION_KEY", "k1:" + k, "HERALD_ENCRYPTION_OLD_KEYS", k))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("HERALD_ENCRYPTION_OLD_KEYS entries must look like <id>:<base64 key>");
        assertThatThrownBy(() -> HeraldConfig.from(new Env(Map.of("HERALD_ENCRYPTION_OLD_KEYS", "k1:" + k))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("needs HERALD_ENCRYPTION_KEY");
    }
}
