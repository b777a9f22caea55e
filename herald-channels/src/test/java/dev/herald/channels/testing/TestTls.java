package dev.herald.channels.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Collections;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for {@code localhost} and {@code 127.0.0.1} (tls/localhost.p12, valid
 * to 2045), for both sides: the key for {@link SmtpPeer}'s STARTTLS and GreenMail's SMTPS, and a
 * client socket factory that trusts that one certificate (and nothing else), so the sender's TLS
 * is real and its host name checked, not switched off. (GreenMail's own certificate names no host.)
 */
public final class TestTls {
    private static final char[] PASSWORD = "changeit".toCharArray();

    private TestTls() {}

    public static SSLContext server() {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keyStore(), PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException("GreenMail's test key could not be loaded", e);
        }
    }

    public static SSLSocketFactory trustingClient() {
        try {
            KeyStore source = keyStore();
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            for (String alias : Collections.list(source.aliases())) {
                Certificate cert = source.getCertificate(alias);
                if (cert != null) trust.setCertificateEntry(alias, cert);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (Exception e) {
            throw new IllegalStateException("GreenMail's test certificate could not be trusted", e);
        }
    }

    /** Makes GreenMail servers started after this call serve the localhost certificate (a JVM-wide setting). */
    public static void useForGreenMail() {
        try (InputStream in = resource()) {
            Path file = Files.createTempFile("herald-localhost", ".p12");
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            System.setProperty("greenmail.tls.keystore.file", file.toString());
            System.setProperty("greenmail.tls.keystore.password", new String(PASSWORD));
            System.setProperty("greenmail.tls.key.password", new String(PASSWORD));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource() {
        InputStream in = TestTls.class.getResourceAsStream("/tls/localhost.p12");
        if (in == null) throw new IllegalStateException("tls/localhost.p12 is not on the test class path");
        return in;
    }

    private static KeyStore keyStore() throws Exception {
        try (InputStream in = resource()) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD);
            return store;
        }
    }
}
