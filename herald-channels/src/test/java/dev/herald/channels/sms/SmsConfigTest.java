package dev.herald.channels.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.channels.webhook.InvalidSetting;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SmsConfigTest {
    @Test
    void withNothingSetTheChannelIsOff() {
        assertThat(SmsConfig.read(Map.<String, String>of()::get)).isEmpty();
    }

    @Test
    void twilioIsTheDefaultBaseUrlAndTheMessagesUrlNamesTheAccount() {
        SmsConfig c = SmsConfig.read(Map.of("SMS_ACCOUNT_SID", "AC1", "SMS_AUTH_TOKEN", "t", "SMS_FROM", "+15005550006")::get).orElseThrow();
        assertThat(c.baseUrl()).isEqualTo(SmsConfig.TWILIO);
        assertThat(c.messagesUrl()).isEqualTo(URI.create("https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json"));
        assertThat(c.toString()).doesNotContain("t]").doesNotContain("token");
    }

    @Test
    void aPartialSetupNamesWhatIsMissing() {
        assertThatThrownBy(() -> SmsConfig.read(Map.of("SMS_URL", "http://127.0.0.1:9")::get))
                .isInstanceOf(InvalidSetting.class).hasMessageStartingWith("SMS_ACCOUNT_SID");
        assertThatThrownBy(() -> SmsConfig.read(Map.of("SMS_ACCOUNT_SID", "AC1", "SMS_AUTH_TOKEN", "t")::get))
                .isInstanceOf(InvalidSetting.class).hasMessageStartingWith("SMS_FROM");
        assertThatThrownBy(() -> SmsConfig.read(Map.of("SMS_ACCOUNT_SID", "AC1", "SMS_AUTH_TOKEN", "t", "SMS_FROM", "0612")::get))
                .isInstanceOf(InvalidSetting.class).hasMessageStartingWith("SMS_FROM");
        assertThatThrownBy(() -> SmsConfig.read(Map.of("SMS_ACCOUNT_SID", "../x", "SMS_AUTH_TOKEN", "t", "SMS_FROM", "+15005550006")::get))
                .isInstanceOf(InvalidSetting.class).hasMessageStartingWith("SMS_ACCOUNT_SID");
        assertThatThrownBy(() -> SmsConfig.read(Map.of("SMS_URL", "ftp://x", "SMS_ACCOUNT_SID", "AC1", "SMS_AUTH_TOKEN", "t",
                "SMS_FROM", "+15005550006")::get)).isInstanceOf(InvalidSetting.class).hasMessageStartingWith("SMS_URL");
    }
}
