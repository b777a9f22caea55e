package dev.herald.channels.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.herald.channels.testing.SmtpPeer;
import dev.herald.core.deliver.dispatch.SendResult;
import dev.herald.core.testing.MutableClock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sender keeps its SMTP conversations between messages: two messages travel on one
 * connection, and a connection that failed, was dropped by the relay, or sat idle too long is
 * never the one a message is lost on.
 */
class SmtpConnectionReuseTest {
    @RegisterExtension
    static final GreenMailExtension greenMail = new GreenMailExtension(SmtpEmailSenderTest.setup(ServerSetupTest.SMTP));

    private final MutableClock clock = MutableClock.at("2026-03-10T08:00:00Z");
    private SmtpPeer peer;
    private SmtpEmailSender sender;

    private SmtpEmailSender sender(int port) {
        sender = new SmtpEmailSender(EmailConfig.of(SmtpUrl.parse("smtp://127.0.0.1:" + port), "Herald <noreply@example.com>"),
                Optional.empty(), clock);
        return sender;
    }

    @AfterEach
    void close() throws Exception {
        if (sender != null) sender.close();
        if (peer != null) peer.close();
    }

    private static SendResult send(SmtpEmailSender s, String id) {
        return s.send(SmtpEmailSenderTest.message(id, "ada@example.org", null));
    }

    @Test
    void greenMailTakesSeveralMessagesOnTheOneKeptConnection() throws Exception {
        SmtpEmailSender s = sender(greenMail.getSmtp().getPort());

        assertThat(send(s, "d-1")).isInstanceOf(SendResult.Sent.class);
        assertThat(send(s, "d-2")).isInstanceOf(SendResult.Sent.class);
        assertThat(send(s, "d-3")).isInstanceOf(SendResult.Sent.class);

        assertThat(greenMail.getReceivedMessages()).extracting(m -> m.getHeader("Message-ID", null))
                .containsExactly("<d-1@example.com>", "<d-2@example.com>", "<d-3@example.com>");
        // Sent one after another, the three took and gave back the same connection (a new one each would keep three).
        assertThat(s.keptConnections()).isEqualTo(1);
    }

    @Test
    void threeMessagesTravelOnOneConnection() throws Exception {
        peer = SmtpPeer.start();
        SmtpEmailSender s = sender(peer.port());

        send(s, "d-1");
        send(s, "d-2");
        send(s, "d-3");

        assertThat(peer.received()).hasSize(3);
        assertThat(peer.connections()).isEqualTo(1);
    }

    @Test
    void aConnectionTheRelayDroppedWhileIdleIsReplacedAndTheMessageStillGoesOut() throws Exception {
        peer = SmtpPeer.start();
        SmtpEmailSender s = sender(peer.port());
        assertThat(send(s, "d-1")).isInstanceOf(SendResult.Sent.class);

        peer.dropConnections();
        await().atMost(Duration.ofSeconds(10)).until(() -> peer.openConnections() == 0);

        assertThat(send(s, "d-2")).isInstanceOf(SendResult.Sent.class);
        assertThat(peer.received()).hasSize(2);
        assertThat(peer.connections()).isEqualTo(2);
    }

    @Test
    void aConnectionWhoseMessageWasRefusedIsClosedAndTheNextMessageOpensAnother() throws Exception {
        peer = SmtpPeer.start().replyToData("451 4.3.0 try later");
        SmtpEmailSender s = sender(peer.port());

        assertThat(send(s, "d-1")).isInstanceOf(SendResult.Retry.class);
        assertThat(s.keptConnections()).isZero();
        assertThat(send(s, "d-1")).isInstanceOf(SendResult.Sent.class);

        assertThat(peer.connections()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> peer.openConnections() == 1);
    }

    @Test
    void aConnectionIdleLongerThanTheLimitIsClosedRatherThanReused() throws Exception {
        peer = SmtpPeer.start();
        SmtpEmailSender s = sender(peer.port());
        send(s, "d-1");

        clock.advance(SmtpEmailSender.MAX_IDLE.plusSeconds(1));
        send(s, "d-2");

        assertThat(peer.connections()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> peer.openConnections() == 1);
    }

    @Test
    void closingTheSenderQuitsItsKeptConnections() throws Exception {
        peer = SmtpPeer.start();
        SmtpEmailSender s = sender(peer.port());
        send(s, "d-1");
        assertThat(peer.openConnections()).isEqualTo(1);

        s.close();

        assertThat(s.keptConnections()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> peer.openConnections() == 0);
    }
}
