package dev.herald.channels.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SigningSecretTest {
    @Test
    void signsTheStandardWebhooksReferenceVector() {
        // From the Standard Webhooks reference libraries' tests (libraries/java WebhookTest.verifyWebhookSignWorks).
        var secret = SigningSecret.parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

        String signature = secret.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
                "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8));

        assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void refusesASecretWithoutTheWhsecPrefixNamingTheVariable() {
        assertThatThrownBy(() -> SigningSecret.parse("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
                .isInstanceOf(InvalidSetting.class)
                .hasMessageStartingWith("WEBHOOK_SIGNING_SECRET ")
                .hasMessageContaining("whsec_<base64>");
    }

    @Test
    void refusesASecretThatIsNotBase64WithoutEchoingIt() {
        assertThatThrownBy(() -> SigningSecret.parse("whsec_not*base64*at*all*but*long*enough"))
                .isInstanceOf(InvalidSetting.class)
                .hasMessageContaining("not base64")
                .hasMessageNotContaining("not*base64");
    }

    @Test
    void refusesAKeyShorterThanTheSpecsTwentyFourBytes() {
        assertThatThrownBy(() -> SigningSecret.parse("whsec_c2hvcnQ="))
                .isInstanceOf(InvalidSetting.class)
                .hasMessageContaining("24 to 64");
    }

    @Test
    void neverShowsTheKeyWhenPrinted() {
        assertThat(SigningSecret.parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).hasToString("whsec_****");
    }
}
