package dev.herald.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PushChannelSettingsTest {
    @Test
    void pushIsOffWhenNoPlatformIsSet() {
        assertThat(HeraldConfig.from(new Env(Map.of())).push().configured()).isFalse();
    }

    @Test
    void aMissingServiceAccountFileStopsTheStartNamingItsVariable(@TempDir Path dir) {
        String missing = dir.resolve("nope.json").toString();
        assertThatThrownBy(() -> HeraldConfig.from(new Env(Map.of("FCM_SERVICE_ACCOUNT_FILE", missing))))
                .isInstanceOf(ConfigException.class).hasMessage("FCM_SERVICE_ACCOUNT_FILE names a file that cannot be read: " + missing);
    }

    @Test
    void aPartlySetPlatformStopsTheStartNamingWhatIsMissing() {
        assertThatThrownBy(() -> HeraldConfig.from(new Env(Map.of("APNS_KEY_ID", "ABC123DEFG"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("APNS_KEY_FILE");
        assertThatThrownBy(() -> HeraldConfig.from(new Env(Map.of("VAPID_SUBJECT", "mailto:ops@example.com"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("VAPID_PUBLIC_KEY");
    }

    @Test
    void aVapidPrivateKeyNeverAppearsInTheRefusal() {
        String secret = "c2VjcmV0LW5vdC1hLWtleQ";
        assertThatThrownBy(() -> HeraldConfig.from(new Env(Map.of("VAPID_PUBLIC_KEY", "BAD", "VAPID_PRIVATE_KEY", secret,
                "VAPID_SUBJECT", "mailto:ops@example.com"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("VAPID_PUBLIC_KEY").hasMessageNotContaining(secret);
    }
}
