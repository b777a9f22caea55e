package dev.herald.channels.email;

import dev.herald.core.deliver.dispatch.SendResult;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/**
 * What an SMTP failure means for the dispatcher (RFC 5321 §4.2.1): a 4xx reply is transient
 * (greylisting, a full queue) and retries; a 5xx is permanent (no such mailbox, refused content)
 * and fails at once; no reply at all (refused connection, timeout, TLS failure) retries. The
 * reason is the code or the failure's kind, never the server's text, which may quote the address.
 */
final class SmtpReplies {
    private SmtpReplies() {}

    static SendResult classify(MessagingException e) {
        int code = replyCode(e);
        if (code >= 500 && code < 600) return new SendResult.Failed("smtp " + code);
        if (code >= 400 && code < 500) return new SendResult.Retry("smtp " + code, null);
        Throwable io = ioCause(e);
        if (io instanceof ConnectException) return new SendResult.Retry("smtp connection refused", null);
        if (io instanceof UnknownHostException) return new SendResult.Retry("smtp unknown host", null);
        if (io instanceof SocketTimeoutException) return new SendResult.Retry("smtp timeout", null);
        if (io instanceof SSLException) return new SendResult.Retry("smtp tls failed: " + io.getClass().getSimpleName(), null);
        if (io != null) return new SendResult.Retry("smtp io error: " + io.getClass().getSimpleName(), null);
        String text = e.getMessage() == null ? "" : e.getMessage();
        // Angus's own wording when the relay does not offer what SMTP_URL asked for.
        if (text.contains("STARTTLS is required")) return new SendResult.Retry("smtp starttls not offered", null);
        return new SendResult.Retry("smtp error: " + e.getClass().getSimpleName(), null);
    }

    /** The first SMTP reply code in the chain (a refused RCPT nests in a SendFailedException), or -1. */
    static int replyCode(MessagingException e) {
        Exception next = e;
        for (int depth = 0; next != null && depth < 10; depth++) {
            if (next instanceof SMTPAddressFailedException a) return a.getReturnCode();
            if (next instanceof SMTPSendFailedException s) return s.getReturnCode();
            next = next instanceof MessagingException m ? m.getNextException() : null;
        }
        return -1;
    }

    private static Throwable ioCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException) return t;
            if (t instanceof MessagingException m && m.getNextException() != null && m.getNextException() != t.getCause()) {
                Throwable inner = ioCause(m.getNextException());
                if (inner != null) return inner;
            }
        }
        return null;
    }
}
