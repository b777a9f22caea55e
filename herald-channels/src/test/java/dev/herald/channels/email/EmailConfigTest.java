package dev.herald.channels.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.channels.webhook.InvalidSetting;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmailConfigTest {
    @Test
    void smtpUrlsGiveTheirSecurityPortAndDecodedCredentials() {
        assertThat(SmtpUrl.parse("smtp://relay.example.com")).isEqualTo(new SmtpUrl(SmtpUrl.Security.PLAIN, "relay.example.com", 25, null, null));
        assertThat(SmtpUrl.parse("smtps://u:p@relay.example.com")).isEqualTo(new SmtpUrl(SmtpUrl.Security.SMTPS, "relay.example.com", 465, "u", "p"));
        assertThat(SmtpUrl.parse("smtp://apikey:p%40ss+w@relay.example.com:587?starttls=true"))
                .isEqualTo(new SmtpUrl(SmtpUrl.Security.STARTTLS, "relay.example.com", 587, "apikey", "p@ss+w"));
    }

    @Test
    void anSmtpUrlShowsItsPasswordMasked() {
        assertThat(SmtpUrl.parse("smtp://apikey:secret@relay.example.com:587?starttls=true"))
                .hasToString("smtp://apikey:****@relay.example.com:587?starttls=true");
    }

    @Test
    void badSmtpUrlsAreRefusedNamingTheVariable() {
        for (String bad : new String[] {"http://relay", "smtp://", "smtp://relay?tls=yes", "smtps://relay?starttls=true", "smtp://relay/path"}) {
            assertThatThrownBy(() -> SmtpUrl.parse(bad)).as(bad).isInstanceOf(InvalidSetting.class)
                    .extracting(e -> ((InvalidSetting) e).variable()).isEqualTo("SMTP_URL");
        }
    }

    @Test
    void withoutSmtpUrlTheChannelIsOff() {
        assertThat(EmailConfig.read(Map.<String, String>of()::get)).isEmpty();
    }

    @Test
    void smtpUrlNeedsEmailFrom() {
        assertThatThrownBy(() -> EmailConfig.read(Map.of("SMTP_URL", "smtp://relay")::get))
                .isInstanceOf(InvalidSetting.class).hasMessageStartingWith("EMAIL_FROM");
        assertThatThrownBy(() -> EmailConfig.read(Map.of("SMTP_URL", "smtp://relay", "EMAIL_FROM", "nobody")::get))
                .isInstanceOf(InvalidSetting.class).hasMessageStartingWith("EMAIL_FROM");
    }

    @Test
    void dkimNeedsAllThreeSettings() {
        assertThatThrownBy(() -> EmailConfig.read(Map.of("SMTP_URL", "smtp://relay", "EMAIL_FROM", "a@example.com",
                "DKIM_DOMAIN", "example.com")::get)).isInstanceOf(InvalidSetting.class).hasMessageStartingWith("DKIM_SELECTOR");
    }

    @Test
    void aNamedFromAddressIsKept() {
        EmailConfig config = EmailConfig.read(Map.of("SMTP_URL", "smtp://relay", "EMAIL_FROM", "Herald <noreply@example.com>")::get).orElseThrow();
        assertThat(config.from().getPersonal()).isEqualTo("Herald");
        assertThat(config.from().getAddress()).isEqualTo("noreply@example.com");
        assertThat(config.dkim()).isEmpty();
    }
}
