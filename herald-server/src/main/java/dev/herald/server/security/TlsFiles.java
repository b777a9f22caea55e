package dev.herald.server.security;

import dev.herald.server.config.ConfigException;
import dev.herald.server.config.SecuritySettings;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.CertificateUtils;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * The certificate and key of {@code TLS_CERT_FILE} / {@code TLS_KEY_FILE} behind one key manager
 * that both the client port and gRPC use. The files' modification times are polled every
 * {@link #POLL}; when they change, the pair is read again and the next handshakes present it (open
 * connections keep theirs). A replaced pair that does not load is logged at WARN and the old one
 * stays in use until a later poll loads a good one.
 */
final class TlsFiles implements AutoCloseable {
    static final Duration POLL = Duration.ofSeconds(2);
    private static final Logger log = LoggerFactory.getLogger(TlsFiles.class);
    private final AdvancedTlsX509KeyManager keys = new AdvancedTlsX509KeyManager();
    private final SecuritySettings.Tls files;
    private final ScheduledFuture<?> watching;
    private FileTime certTime;
    private FileTime keyTime;

    TlsFiles(SecuritySettings.Tls files, ScheduledExecutorService timer) {
        this.files = files;
        try {
            // Read once here, so a bad pair stops the start with a message naming the variables.
            load();
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new ConfigException("TLS_CERT_FILE", "and TLS_KEY_FILE do not hold a PEM certificate chain and its "
                    + "unencrypted PKCS#8 private key: " + e.getMessage());
        }
        watching = timer.scheduleWithFixedDelay(this::reloadIfChanged, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void load() throws IOException, GeneralSecurityException {
        FileTime cert = Files.getLastModifiedTime(files.certFile()), key = Files.getLastModifiedTime(files.keyFile());
        X509Certificate[] chain;
        PrivateKey privateKey;
        try (InputStream c = Files.newInputStream(files.certFile()); InputStream k = Files.newInputStream(files.keyFile())) {
            chain = CertificateUtils.getX509Certificates(c);
            privateKey = CertificateUtils.getPrivateKey(k);
        }
        if (chain.length == 0) throw new GeneralSecurityException("no certificate in " + files.certFile());
        keys.updateIdentityCredentials(chain, privateKey);
        certTime = cert;
        keyTime = key;
    }

    /** On the timer thread: a pair half-written or invalid keeps the old one, and is tried again next poll. */
    private void reloadIfChanged() {
        try {
            if (Files.getLastModifiedTime(files.certFile()).equals(certTime) && Files.getLastModifiedTime(files.keyFile()).equals(keyTime)) return;
            load();
            log.info("TLS certificate reloaded from {}", files.certFile());
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            log.warn("TLS certificate in {} changed but could not be loaded, keeping the previous one: {}", files.certFile(), e.toString());
        }
    }

    /** For the client port: HTTP/1.1 over TLS 1.2 or 1.3. */
    SslContext clientPort() {
        try {
            return SslContextBuilder.forServer(keys).sslProvider(SslProvider.JDK).protocols("TLSv1.3", "TLSv1.2").build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the client port's TLS context", e);
        }
    }

    /** For gRPC: HTTP/2 with ALPN, as grpc-java requires. */
    SslContext grpc() {
        try {
            return GrpcSslContexts.configure(SslContextBuilder.forServer(keys), SslProvider.JDK).build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build gRPC's TLS context", e);
        }
    }

    @Override
    public void close() {
        watching.cancel(false);
    }
}
