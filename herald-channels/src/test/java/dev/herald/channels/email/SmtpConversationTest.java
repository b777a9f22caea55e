package dev.herald.channels.email;

import static dev.herald.channels.email.SmtpEmailSenderTest.HTML;
import static dev.herald.channels.email.SmtpEmailSenderTest.message;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.channels.testing.SmtpPeer;
import dev.herald.channels.testing.TestTls;
import dev.herald.core.deliver.dispatch.SendResult;
import org.junit.jupiter.api.Test;

/** Against {@link SmtpPeer}: what GreenMail cannot do on demand (STARTTLS, 451, 550). */
class SmtpConversationTest {
    private final SmtpEmailSenderTest base = new SmtpEmailSenderTest();

    private SmtpEmailSender sender(String url) {
        return base.sender(url);
    }

    @Test
    void starttlsUpgradesTheConnectionBeforeAuthAndMail() throws Exception {
        try (SmtpPeer peer = SmtpPeer.start(TestTls.server(), "relay", "p@ss")) {
            SendResult result = sender("smtp://relay:p%40ss@localhost:" + peer.port() + "?starttls=true")
                    .send(message("d-5", "ada@example.org", HTML));

            assertThat(result).isInstanceOf(SendResult.Sent.class);
            SmtpPeer.Received got = peer.received().getFirst();
            assertThat(got.tls()).isTrue();
            assertThat(got.authUser()).isEqualTo("relay");
            assertThat(got.recipients()).containsExactly("<ada@example.org>");
            assertThat(got.mailFrom()).isEqualTo("<noreply@example.com>");
        }
    }

    @Test
    void aRelayThatDoesNotOfferStarttlsGetsNothingWhenStarttlsIsRequired() throws Exception {
        try (SmtpPeer peer = SmtpPeer.start()) {
            SendResult result = sender("smtp://localhost:" + peer.port() + "?starttls=true").send(message("d-6", "ada@example.org", HTML));

            assertThat(result).isEqualTo(new SendResult.Retry("smtp starttls not offered", null));
            assertThat(peer.received()).isEmpty();
        }
    }

    @Test
    void a451IsRetriedWithItsCodeAndNothingElse() throws Exception {
        try (SmtpPeer peer = SmtpPeer.start().replyToData("451 4.3.0 mailbox ada@example.org busy")) {
            SmtpEmailSender sender = sender("smtp://127.0.0.1:" + peer.port());

            assertThat(sender.send(message("d-7", "ada@example.org", HTML))).isEqualTo(new SendResult.Retry("smtp 451", null));
            assertThat(sender.send(message("d-7", "ada@example.org", HTML))).isEqualTo(new SendResult.Sent("<d-7@example.com>"));
            assertThat(peer.received()).hasSize(1);
        }
    }

    @Test
    void a550FailsWithItsCodeAndNothingElse() throws Exception {
        try (SmtpPeer peer = SmtpPeer.start().replyToRcpt("550 5.1.1 <ada@example.org> no such user")) {
            SendResult result = sender("smtp://127.0.0.1:" + peer.port()).send(message("d-8", "ada@example.org", HTML));

            assertThat(result).isEqualTo(new SendResult.Failed("smtp 550"));
            assertThat(peer.received()).isEmpty();
        }
    }

    @Test
    void aRefusedConnectionIsRetried() throws Exception {
        int port;
        try (SmtpPeer peer = SmtpPeer.start()) {
            port = peer.port();
        }
        assertThat(sender("smtp://127.0.0.1:" + port).send(message("d-9", "ada@example.org", HTML)))
                .isEqualTo(new SendResult.Retry("smtp connection refused", null));
    }

    @Test
    void anAddressThatIsNotOneFailsWithoutAConnection() {
        assertThat(sender("smtp://127.0.0.1:1").send(message("d-10", "not an address", HTML)))
                .isEqualTo(new SendResult.Failed("invalid email address"));
    }
}
