package dev.herald.channels.email;

import dev.herald.core.deliver.dispatch.ChannelSender;
import dev.herald.core.deliver.dispatch.OutboundMessage;
import dev.herald.core.deliver.dispatch.SendResult;
import dev.herald.core.inbox.UnsubscribeLinks;
import dev.herald.core.notification.Channel;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;
import java.util.Date;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.simplejavamail.utils.mail.dkim.Canonicalization;
import org.simplejavamail.utils.mail.dkim.DkimMessage;
import org.simplejavamail.utils.mail.dkim.DkimSigner;
import org.simplejavamail.utils.mail.dkim.SigningAlgorithm;

/**
 * The email channel over SMTP (Angus Mail), to the relay of {@code SMTP_URL}, plain, STARTTLS
 * (required when asked for) or SMTPS, with AUTH when the URL has credentials. Conversations are
 * kept between messages ({@link SmtpConnections}: at most {@value #KEPT_CONNECTIONS} idle, none
 * idle longer than {@link #MAX_IDLE}, one that failed closed), so a message costs one transaction
 * (MAIL, RCPT, DATA), not a connection, greeting, EHLO, TLS and AUTH besides; a kept connection the
 * relay dropped while idle is retried once on a new one (the same Message-ID, as any resend). The message is text, or text and HTML as multipart/alternative when the
 * rendered content has HTML; it carries {@code List-Unsubscribe} and {@code List-Unsubscribe-Post}
 * (RFC 8058 one-click) when unsubscribe links are configured, and a DKIM signature (relaxed/relaxed,
 * rsa-sha256, covering both unsubscribe headers as RFC 8058 asks) when {@code DKIM_*} is set.
 *
 * <p>What a reply means ({@link SmtpReplies}): 4xx retry, 5xx fail, with the SMTP code as the
 * reason, never the server's text (it may quote the address). The {@code Message-ID} is
 * {@code <deliveryId@from-domain>}, the same on every attempt, so a receiver can tell a resend;
 * it is the provider id of a sent message. Thread-safe: {@link #send} blocks for at most about
 * eight times the timeout (a kept connection that fails, then a new one).
 */
public final class SmtpEmailSender implements ChannelSender, AutoCloseable {
    /** Idle connections kept: the dispatcher's largest share (urgent, 16 sends at once). */
    static final int KEPT_CONNECTIONS = 16;
    /**
     * Kept connections idle longer are closed, before most relays' idle timeouts (Postfix 300 s,
     * GreenMail 30 s; some hosted relays less, which the retry on a new connection covers).
     */
    static final java.time.Duration MAX_IDLE = java.time.Duration.ofSeconds(10);

    private final EmailConfig config;
    private final Session session;
    private final String protocol;
    private final RSAPrivateKey dkimKey;
    private final UnsubscribeLinks unsubscribe;
    private final Clock clock;
    private final String idDomain;
    private final SmtpConnections connections;

    /**
     * The Jakarta Mail API (2.1) looks its StreamProvider up on every part it writes, by a
     * ServiceLoader scan of the class path (jakartaee/mail-api #699, #861): a tenth of a busy
     * node's samples in the emails benchmark. Naming Angus's provider, the one on the class path,
     * makes the lookup a loaded-class instantiation. A value set already (-D) is left as it is.
     */
    static final String STREAM_PROVIDER = "jakarta.mail.util.StreamProvider";

    static {
        if (System.getProperty(STREAM_PROVIDER) == null) {
            System.setProperty(STREAM_PROVIDER, "org.eclipse.angus.mail.util.MailStreamProvider");
        }
    }

    public SmtpEmailSender(EmailConfig config, Optional<UnsubscribeLinks> unsubscribe, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.unsubscribe = unsubscribe.orElse(null);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.protocol = config.smtp().security() == SmtpUrl.Security.SMTPS ? "smtps" : "smtp";
        this.session = Session.getInstance(properties(config, protocol));
        this.dkimKey = config.dkim().map(d -> DkimKeys.read(d.privateKeyFile())).orElse(null);
        String address = config.from().getAddress();
        this.idDomain = address.substring(address.lastIndexOf('@') + 1);
        this.connections = new SmtpConnections(SmtpConnections.opener(session, protocol, config.smtp()), KEPT_CONNECTIONS,
                MAX_IDLE, clock);
    }

    private static Properties properties(EmailConfig config, String protocol) {
        Properties p = new Properties();
        String prefix = "mail." + protocol + ".";
        String millis = Long.toString(config.timeout().toMillis());
        p.put("mail.transport.protocol", protocol);
        p.put(prefix + "host", config.smtp().host());
        p.put(prefix + "port", Integer.toString(config.smtp().port()));
        p.put(prefix + "connectiontimeout", millis);
        p.put(prefix + "timeout", millis);
        p.put(prefix + "writetimeout", millis);
        p.put(prefix + "from", config.from().getAddress());
        p.put(prefix + "auth", Boolean.toString(config.smtp().authenticates()));
        p.put(prefix + "ssl.checkserveridentity", "true");
        if (config.smtp().security() == SmtpUrl.Security.STARTTLS) {
            p.put(prefix + "starttls.enable", "true");
            p.put(prefix + "starttls.required", "true");
        }
        if (config.tls() != null) p.put(prefix + "ssl.socketFactory", config.tls());
        return p;
    }

    @Override
    public Channel channel() {
        return Channel.EMAIL;
    }

    @Override
    public String provider() {
        return "smtp";
    }

    @Override
    public SendResult send(OutboundMessage message) {
        MimeMessage mail;
        try {
            mail = compose(message);
        } catch (AddressException e) {
            return new SendResult.Failed("invalid email address");
        } catch (MessagingException e) {
            return new SendResult.Failed("message not composed: " + e.getClass().getSimpleName());
        }
        try {
            SmtpConnections.Lease lease = connections.take();
            try {
                return deliver(lease.transport(), mail);
            } catch (MessagingException e) {
                // No SMTP reply on a kept connection: the relay dropped it while idle. Once more, on a new one.
                if (!lease.reused() || SmtpReplies.replyCode(e) >= 0) throw e;
                return deliver(connections.open(), mail);
            }
        } catch (AuthenticationFailedException e) {
            // Wrong relay credentials are the operator's to fix: retried, then a replayable dead letter.
            return new SendResult.Retry("smtp auth refused", null);
        } catch (MessagingException e) {
            return SmtpReplies.classify(e);
        }
    }

    /** One transaction on {@code transport}; given back when it went through, closed when it did not. */
    private SendResult deliver(Transport transport, MimeMessage mail) throws MessagingException {
        try {
            transport.sendMessage(mail, mail.getAllRecipients());
        } catch (MessagingException | RuntimeException e) {
            SmtpConnections.quietClose(transport);
            throw e;
        }
        connections.giveBack(transport);
        return new SendResult.Sent(mail.getHeader("Message-ID", null));
    }

    /** Connections kept idle now (tests). */
    int keptConnections() {
        return connections.idle();
    }

    /** QUITs the kept connections; a send still running closes its own when done. */
    @Override
    public void close() {
        connections.close();
    }

    MimeMessage compose(OutboundMessage message) throws MessagingException {
        OutboundMessage.Content content = message.content();
        MimeMessage mail = new StableIdMessage(session, "<" + message.deliveryId() + "@" + idDomain + ">");
        mail.setFrom(config.from());
        mail.setRecipient(Message.RecipientType.TO, new InternetAddress(message.contact().email(), true));
        mail.setSubject(content.subject(), "UTF-8");
        mail.setSentDate(Date.from(clock.instant()));
        if (content.html() == null) {
            mail.setText(content.text(), "UTF-8");
        } else {
            MimeMultipart alternative = new MimeMultipart("alternative");
            MimeBodyPart text = new MimeBodyPart();
            text.setText(content.text(), "UTF-8");
            MimeBodyPart html = new MimeBodyPart();
            html.setText(content.html(), "UTF-8", "html");
            alternative.addBodyPart(text);
            alternative.addBodyPart(html);
            mail.setContent(alternative);
        }
        if (unsubscribe != null) {
            mail.setHeader("List-Unsubscribe", "<" + unsubscribe.link(message.target().recipientId(), message.target().type()) + ">");
            mail.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }
        mail.saveChanges();
        if (dkimKey == null) return mail;
        EmailConfig.Dkim dkim = config.dkim().orElseThrow();
        // A signer per message: DkimSigner keeps per-signature state.
        DkimSigner signer = new DkimSigner(dkim.domain(), dkim.selector(), dkimKey);
        signer.setSigningAlgorithm(SigningAlgorithm.SHA256_WITH_RSA);
        signer.setHeaderCanonicalization(Canonicalization.RELAXED);
        signer.setBodyCanonicalization(Canonicalization.RELAXED);
        signer.setCheckDomainKey(false);
        signer.setLengthParam(false);
        if (unsubscribe != null) {
            signer.addHeaderToSign("List-Unsubscribe");
            signer.addHeaderToSign("List-Unsubscribe-Post");
        }
        return new DkimMessage(mail, signer);
    }

    /** Keeps the delivery's own Message-ID where Jakarta Mail would make a random one on save. */
    private static final class StableIdMessage extends MimeMessage {
        private final String id;

        StableIdMessage(Session session, String id) {
            super(session);
            this.id = id;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", id);
        }
    }
}
