package dev.herald.server.security;

import dev.herald.server.config.ConfigException;
import dev.herald.server.config.SecuritySettings;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * The certificate and key of {@code TLS_CERT_FILE} / {@code TLS_KEY_FILE} behind one key manager
 * that both the client port and gRPC use. The files' modification times are polled every
 * {@link #POLL}; when they change, the pair is read again and the next handshakes present it (open
 * connections keep theirs). A replaced pair that does not load is logged by grpc-util and the old
 * one stays in use.
 */
final class TlsFiles implements AutoCloseable {
    static final Duration POLL = Duration.ofSeconds(2);
    private final AdvancedTlsX509KeyManager keys = new AdvancedTlsX509KeyManager();
    private final AdvancedTlsX509KeyManager.Closeable watching;

    TlsFiles(SecuritySettings.Tls files, ScheduledExecutorService timer) {
        try {
            // Read once here, so a bad pair stops the start with a message naming the variables.
            keys.updateIdentityCredentials(files.certFile().toFile(), files.keyFile().toFile());
            watching = keys.updateIdentityCredentials(files.certFile().toFile(), files.keyFile().toFile(),
                    POLL.toMillis(), TimeUnit.MILLISECONDS, timer);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new ConfigException("TLS_CERT_FILE", "and TLS_KEY_FILE do not hold a PEM certificate chain and its "
                    + "unencrypted PKCS#8 private key: " + e.getMessage());
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
        watching.close();
    }
}
