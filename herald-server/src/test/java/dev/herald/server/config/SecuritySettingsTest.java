package dev.herald.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecuritySettingsTest {
    @TempDir
    Path dir;

    @Test
    void defaultsAreSeed003sLimitsASixtySecondNoticeAndNoTls() {
        SecuritySettings s = SecuritySettings.from(new Env(Map.of()));

        assertThat(s.tokenExpiringNotice()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.tls()).isEmpty();
        assertThat(s.rateLimits()).isEqualTo(new SecuritySettings.RateLimits(200, 100, 600, 10));
    }

    @Test
    void tlsNeedsBothFilesAndReadableOnes() throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "x");

        assertThatThrownBy(() -> SecuritySettings.from(new Env(Map.of("TLS_CERT_FILE", cert.toString()))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("TLS_KEY_FILE");
        assertThatThrownBy(() -> SecuritySettings.from(new Env(Map.of("TLS_CERT_FILE", cert.toString(),
                "TLS_KEY_FILE", dir.resolve("missing.pem").toString()))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("TLS_KEY_FILE").hasMessageContaining("readable");
    }

    @Test
    void aRateOfZeroSwitchesALimitOffAndANegativeOneIsRefused() {
        assertThat(SecuritySettings.from(new Env(Map.of("RATE_LIMIT_BROADCASTS_PER_MINUTE", "0"))).rateLimits().broadcastsPerMinute()).isZero();
        assertThatThrownBy(() -> SecuritySettings.from(new Env(Map.of("RATE_LIMIT_API_PER_SECOND", "-1"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("RATE_LIMIT_API_PER_SECOND");
    }

    @Test
    void logFormatUnsetIsConsoleOnATerminalAndJsonOtherwiseAndLogFormatWins() {
        assertThat(HeraldConfig.LogFormat.onTerminal(true)).isEqualTo(HeraldConfig.LogFormat.CONSOLE);
        assertThat(HeraldConfig.LogFormat.onTerminal(false)).isEqualTo(HeraldConfig.LogFormat.JSON);
        // Surefire's forked JVM has no terminal.
        assertThat(HeraldConfig.from(new Env(Map.of())).ops().logFormat()).isEqualTo(HeraldConfig.LogFormat.JSON);
        assertThat(HeraldConfig.from(new Env(Map.of("LOG_FORMAT", "console"))).ops().logFormat()).isEqualTo(HeraldConfig.LogFormat.CONSOLE);
    }
}
