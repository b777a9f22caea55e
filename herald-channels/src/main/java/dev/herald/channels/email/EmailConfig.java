package dev.herald.channels.email;

import dev.herald.channels.webhook.InvalidSetting;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import javax.net.ssl.SSLSocketFactory;

/**
 * The email channel's settings (DESIGN §5): on when {@code SMTP_URL} is set, which then needs
 * {@code EMAIL_FROM}; DKIM signing when {@code DKIM_DOMAIN}, {@code DKIM_SELECTOR} and
 * {@code DKIM_PRIVATE_KEY_FILE} are all set.
 *
 * @param from the {@code From} address, {@code "Name <addr@example.com>"} or a bare address
 * @param timeout for the connect, each read and each write of one SMTP conversation
 * @param tls how TLS sockets are made; null: the JVM's default (its trust store). Tests trust a
 *     local server's certificate with it.
 */
public record EmailConfig(SmtpUrl smtp, InternetAddress from, Optional<Dkim> dkim, Duration timeout, SSLSocketFactory tls) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** The DKIM signing identity: {@code d=} domain, {@code s=} selector, and the RSA key file (PEM or DER, PKCS#8 or PKCS#1). */
    public record Dkim(String domain, String selector, Path privateKeyFile) {
        public Dkim {
            Objects.requireNonNull(domain, "domain");
            Objects.requireNonNull(selector, "selector");
            Objects.requireNonNull(privateKeyFile, "privateKeyFile");
        }
    }

    public EmailConfig {
        Objects.requireNonNull(smtp, "smtp");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(dkim, "dkim");
        Objects.requireNonNull(timeout, "timeout");
    }

    public static EmailConfig of(SmtpUrl smtp, String from) {
        return new EmailConfig(smtp, address(from), Optional.empty(), DEFAULT_TIMEOUT, null);
    }

    public EmailConfig withDkim(Dkim value) {
        return new EmailConfig(smtp, from, Optional.of(value), timeout, tls);
    }

    public EmailConfig withTls(SSLSocketFactory value) {
        return new EmailConfig(smtp, from, dkim, timeout, value);
    }

    public EmailConfig withTimeout(Duration value) {
        return new EmailConfig(smtp, from, dkim, value, tls);
    }

    /**
     * Reads the variables through {@code env} (null when unset): empty when {@code SMTP_URL} is
     * unset. Throws {@link InvalidSetting}, naming the variable, for a bad or missing value.
     */
    public static Optional<EmailConfig> read(Function<String, String> env) {
        String url = blankToNull(env.apply(SmtpUrl.VARIABLE));
        String from = blankToNull(env.apply("EMAIL_FROM"));
        String domain = blankToNull(env.apply("DKIM_DOMAIN"));
        String selector = blankToNull(env.apply("DKIM_SELECTOR"));
        String keyFile = blankToNull(env.apply("DKIM_PRIVATE_KEY_FILE"));
        if (url == null) {
            if (from != null || domain != null || selector != null || keyFile != null) {
                throw new InvalidSetting(from != null ? "EMAIL_FROM" : "DKIM_DOMAIN", "needs SMTP_URL, the relay email is sent through");
            }
            return Optional.empty();
        }
        if (from == null) throw new InvalidSetting("EMAIL_FROM", "must be set with SMTP_URL (the From address of every email)");
        EmailConfig config = of(SmtpUrl.parse(url), from);
        int dkimSet = (domain == null ? 0 : 1) + (selector == null ? 0 : 1) + (keyFile == null ? 0 : 1);
        if (dkimSet == 0) return Optional.of(config);
        if (dkimSet < 3) {
            String missing = domain == null ? "DKIM_DOMAIN" : selector == null ? "DKIM_SELECTOR" : "DKIM_PRIVATE_KEY_FILE";
            throw new InvalidSetting(missing, "must be set with the other DKIM_* settings (DKIM_DOMAIN, DKIM_SELECTOR, DKIM_PRIVATE_KEY_FILE)");
        }
        Dkim dkim = new Dkim(domain, selector, Path.of(keyFile));
        DkimKeys.read(dkim.privateKeyFile());
        return Optional.of(config.withDkim(dkim));
    }

    static InternetAddress address(String value) {
        try {
            InternetAddress a = new InternetAddress(value, true);
            if (a.getAddress() == null || !a.getAddress().contains("@")) throw new AddressException("no @");
            return a;
        } catch (AddressException e) {
            throw new InvalidSetting("EMAIL_FROM", "must be an email address, like Herald <noreply@example.com>");
        }
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.strip();
    }
}
