package dev.herald.bench.channel;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.mail.MovingMessage;
import com.icegreen.greenmail.server.ProtocolHandler;
import com.icegreen.greenmail.smtp.SmtpServer;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetup;
import dev.herald.bench.webhook.WebhookTally;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The mail server of the {@code emails} scenario: GreenMail's SMTP server on a loopback port, with
 * its delivery replaced by a count (GreenMail's {@code MessageDeliveryHandler} hook): nothing is
 * stored, so a long run holds no mailbox in memory. Each accepted message is counted in a
 * {@link WebhookTally} by its {@code Message-ID}, which Herald makes {@code <deliveryId@domain>},
 * the same on every attempt: a second message with one id is a duplicate. The create→received
 * latency comes from the subject, which the scenario makes {@code Bench <seq> <ts>} (the title of
 * the notification, rendered as the subject by Herald's plain renderer and by the starter
 * {@code notification} template alike). It counts the SMTP connections it accepted, to show
 * whether the sender opens one per message.
 *
 * <p>GreenMail runs a platform thread per connection and reads each message into a MimeMessage:
 * the cost of a small real SMTP server, which the generator's CPU figure includes.
 */
public final class SmtpSink implements AutoCloseable {
    private final WebhookTally tally = new WebhookTally();
    private final AtomicLong connections = new AtomicLong();
    private final CountingSmtpServer server;

    /** Listens on 127.0.0.1:{@code port}; throws when it cannot within 10 s (the port taken). */
    public SmtpSink(int port) throws InterruptedException {
        if (port < 1 || port > 65_535) throw new IllegalArgumentException("--smtp-port must be 1..65535 (the port in the server's SMTP_URL)");
        Managers managers = new Managers();
        managers.getUserManager().setMessageDeliveryHandler((message, to) -> {
            record(message);
            return Discard.USER;
        });
        server = new CountingSmtpServer(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP), managers, connections);
        server.startService();
        if (!server.waitTillRunning(10_000)) {
            server.stopService();
            throw new IllegalStateException("the SMTP sink could not listen on 127.0.0.1:" + port);
        }
    }

    public WebhookTally tally() {
        return tally;
    }

    /** SMTP connections accepted so far. */
    public long connections() {
        return connections.get();
    }

    private void record(MovingMessage moving) throws MessagingException {
        MimeMessage m = moving.getMessage();
        String id = m.getHeader("Message-ID", null);
        if (id == null) {
            tally.malformed();
            return;
        }
        tally.arrived(id);
        long[] stamp = stamp(m.getHeader("Subject", null));
        tally.accepted(id, stamp[0], stamp[1], System.nanoTime());
    }

    /** {@code {seq, ts}} from a subject {@code Bench <seq> <ts>}; {@link WebhookTally#ABSENT} for what is not there. */
    static long[] stamp(String subject) {
        long[] out = {WebhookTally.ABSENT, WebhookTally.ABSENT};
        if (subject == null) return out;
        String[] parts = subject.strip().split(" ");
        if (parts.length != 3 || !parts[0].equals("Bench")) return out;
        try {
            out[0] = Long.parseLong(parts[1]);
            out[1] = Long.parseLong(parts[2]);
        } catch (NumberFormatException e) {
            return new long[] {WebhookTally.ABSENT, WebhookTally.ABSENT};
        }
        return out;
    }

    @Override
    public void close() {
        server.stopService();
    }

    /** GreenMail's SMTP server, counting the connections it accepts. */
    private static final class CountingSmtpServer extends SmtpServer {
        private final AtomicLong connections;

        CountingSmtpServer(ServerSetup setup, Managers managers, AtomicLong connections) {
            super(setup, managers);
            this.connections = connections;
        }

        @Override
        protected ProtocolHandler createProtocolHandler(Socket socket) {
            connections.incrementAndGet();
            try {
                // GreenMail writes a multi-line reply (EHLO) line by line: with Nagle on, the second
                // line waits for the client's delayed ACK (~40 ms a conversation), which no relay does.
                socket.setTcpNoDelay(true);
            } catch (java.net.SocketException e) {
                // the client is gone already: the handler will find out
            }
            return super.createProtocolHandler(socket);
        }
    }

    /** Where GreenMail would store a delivered message: nowhere, it is counted already. */
    private static final class Discard implements GreenMailUser {
        static final Discard USER = new Discard();

        @Override
        public String getEmail() {
            return "sink@bench.invalid";
        }

        @Override
        public String getLogin() {
            return "sink";
        }

        @Override
        public void deliver(MovingMessage msg) {
            // counted by the delivery handler; not kept
        }

        @Override
        public void deliver(MimeMessage msg) {
            // counted by the delivery handler; not kept
        }

        @Override
        public void create() {
            // no mailbox
        }

        @Override
        public void delete() {
            // no mailbox
        }

        @Override
        public String getPassword() {
            return "";
        }

        @Override
        public void setPassword(String password) {
            // no login
        }

        @Override
        public void authenticate(String password) {
            // no login
        }

        @Override
        public String getQualifiedMailboxName() {
            return "sink";
        }
    }
}
