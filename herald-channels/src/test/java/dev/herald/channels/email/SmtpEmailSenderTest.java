package dev.herald.channels.email;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.herald.channels.testing.TestTls;
import dev.herald.core.deliver.dispatch.OutboundMessage;
import dev.herald.core.deliver.dispatch.SendResult;
import dev.herald.core.inbox.UnsubscribeLinks;
import dev.herald.core.notification.Channel;
import dev.herald.core.notification.Contact;
import dev.herald.core.notification.Delivery;
import dev.herald.core.notification.Priority;
import dev.herald.core.testing.MutableClock;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SmtpEmailSenderTest {
    static final String HTML = "<p>Your payment of <b>12.50 EUR</b> is confirmed.</p>";
    static final UnsubscribeLinks LINKS = new UnsubscribeLinks(URI.create("https://notify.example.com"),
            "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));

    @RegisterExtension
    static final GreenMailExtension greenMail = new GreenMailExtension(setup(ServerSetupTest.SMTP))
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("relay@example.com", "relay", "s3cret"));

    static ServerSetup setup(ServerSetup base) {
        ServerSetup setup = base.dynamicPort();
        // Two cores shared by many builds: GreenMail's 2 s start budget is not always enough.
        setup.setServerStartupTimeout(15_000);
        return setup;
    }

    private final MutableClock clock = MutableClock.at("2026-03-10T08:00:00Z");

    static OutboundMessage message(String deliveryId, String email, String html) {
        var target = new Delivery.Target("n1", "u1", "payment", Channel.EMAIL, Priority.HIGH, Delivery.Kind.STANDARD, null);
        var contact = new Contact("u1", email, null, "en", null, null);
        return new OutboundMessage(deliveryId, target, 1, contact,
                new OutboundMessage.Content("Payment confirmed", "Your payment of 12.50 EUR is confirmed.", html, "{}"));
    }

    SmtpEmailSender sender(String url) {
        return new SmtpEmailSender(EmailConfig.of(SmtpUrl.parse(url), "Herald <noreply@example.com>")
                .withTls(TestTls.trustingClient()), Optional.of(LINKS), clock);
    }

    @Test
    void theSenderNamesAngusStreamProviderSoJakartaMailDoesNotScanTheClassPathPerMessage() throws Exception {
        sender("smtp://127.0.0.1:" + greenMail.getSmtp().getPort());

        assertThat(System.getProperty(SmtpEmailSender.STREAM_PROVIDER)).isEqualTo("org.eclipse.angus.mail.util.MailStreamProvider");
        assertThat(jakarta.mail.util.StreamProvider.provider().getClass().getName())
                .isEqualTo("org.eclipse.angus.mail.util.MailStreamProvider");
    }

    @Test
    void anHtmlMessageArrivesAsTextAndHtmlAlternativesWithOneClickUnsubscribe() throws Exception {
        SendResult result = sender("smtp://relay:s3cret@127.0.0.1:" + greenMail.getSmtp().getPort())
                .send(message("d-1", "ada@example.org", HTML));

        assertThat(result).isEqualTo(new SendResult.Sent("<d-1@example.com>"));
        MimeMessage got = greenMail.getReceivedMessages()[0];
        assertThat(got.getSubject()).isEqualTo("Payment confirmed");
        assertThat(got.getFrom()[0].toString()).isEqualTo("Herald <noreply@example.com>");
        assertThat(got.getAllRecipients()[0].toString()).isEqualTo("ada@example.org");
        assertThat(got.getMessageID()).isEqualTo("<d-1@example.com>");
        MimeMultipart parts = (MimeMultipart) got.getContent();
        assertThat(parts.getContentType()).startsWith("multipart/alternative");
        assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain");
        assertThat(parts.getBodyPart(0).getContent()).isEqualTo("Your payment of 12.50 EUR is confirmed.");
        assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html");
        assertThat(parts.getBodyPart(1).getContent()).isEqualTo(HTML);
        assertThat(got.getHeader("List-Unsubscribe", null)).isEqualTo("<" + LINKS.link("u1", "payment") + ">");
        assertThat(got.getHeader("List-Unsubscribe-Post", null)).isEqualTo("List-Unsubscribe=One-Click");
    }

    @Test
    void aMessageWithoutHtmlIsPlainText() throws Exception {
        sender("smtp://relay:s3cret@127.0.0.1:" + greenMail.getSmtp().getPort()).send(message("d-2", "bob@example.org", null));

        MimeMessage got = greenMail.getReceivedMessages()[0];
        assertThat(got.getContentType()).startsWith("text/plain");
        assertThat(got.getContent()).isEqualTo("Your payment of 12.50 EUR is confirmed.");
    }

    @Test
    void wrongRelayCredentialsAreRetriedAsAuthRefused() {
        SendResult result = sender("smtp://relay:wrong@127.0.0.1:" + greenMail.getSmtp().getPort())
                .send(message("d-3", "ada@example.org", HTML));

        assertThat(result).isEqualTo(new SendResult.Retry("smtp auth refused", null));
        assertThat(greenMail.getReceivedMessages()).isEmpty();
    }

}
