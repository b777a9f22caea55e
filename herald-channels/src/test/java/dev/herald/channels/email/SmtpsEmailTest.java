package dev.herald.channels.email;

import static dev.herald.channels.email.SmtpEmailSenderTest.HTML;
import static dev.herald.channels.email.SmtpEmailSenderTest.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.herald.channels.testing.TestTls;
import dev.herald.core.deliver.dispatch.SendResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SmtpsEmailTest {
    static {
        TestTls.useForGreenMail();
    }

    @RegisterExtension
    static final GreenMailExtension greenMail = new GreenMailExtension(SmtpEmailSenderTest.setup(ServerSetupTest.SMTPS));

    @Test
    void smtpsSpeaksTlsFromTheFirstByte() throws Exception {
        SendResult result = new SmtpEmailSenderTest().sender("smtps://localhost:" + greenMail.getSmtps().getPort()).send(message("d-4", "ada@example.org", HTML));

        assertThat(result).isInstanceOf(SendResult.Sent.class);
        assertThat(greenMail.getReceivedMessages()[0].getSubject()).isEqualTo("Payment confirmed");
    }

}
