package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.server.config.Env;
import dev.herald.server.config.HeraldConfig;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import notifications.v1.Notifications.GetConnectionStatsRequest;
import notifications.v1.NotificationsServiceGrpc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS_CERT_FILE / TLS_KEY_FILE with a self-signed certificate: the official client over wss:// and
 * https:// (told to trust it), /ws, gRPC over TLS with grpc-java, and a certificate replaced on disk
 * presented by the next handshakes on both ports.
 */
class TlsEndToEndTest {
    @TempDir
    Path dir;

    private final TestTokens tokens = new TestTokens();

    private void selfSigned(String commonName, Path cert, Path key) throws Exception {
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-keyout", key.toString(), "-out", cert.toString(), "-subj", "/CN=" + commonName,
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    /** The subject of the certificate the port presents to a new handshake. */
    private static String presented(int port) throws Exception {
        X509TrustManager anything = new X509TrustManager() {
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
            @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {anything}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        }
    }

    private static long grpcConnections(int port, Path trusted) throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).overrideAuthority("localhost")
                .sslContext(GrpcSslContexts.forClient().trustManager(trusted.toFile()).build()).build();
        try {
            Metadata headers = new Metadata();
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + TestTokens.API_KEY);
            return NotificationsServiceGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .getConnectionStats(GetConnectionStatsRequest.getDefaultInstance()).getTotalConnections();
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void theClientPortAndGrpcServeTlsAndPresentAReplacedCertificateToNewHandshakes() throws Exception {
        Path cert = dir.resolve("cert.pem"), key = dir.resolve("key.pem");
        selfSigned("herald-test-a", cert, key);
        Env env = new Env(Map.of("SOCKETIO_PORT", "0", "GRPC_PORT", "0", "HOST", "127.0.0.1",
                "HERALD_DATA_DIR", dir.resolve("data").toString(), "JWT_SECRET", TestTokens.SECRET,
                "HERALD_API_KEYS", TestTokens.API_KEY, "LOG_LEVEL", "warn",
                "TLS_CERT_FILE", cert.toString(), "TLS_KEY_FILE", key.toString()));
        try (Herald herald = Herald.start(HeraldConfig.from(env), Clock.systemUTC())) {
            NodeScripts.runPassing(List.of("tls.check.mjs"), Map.of("HERALD_URL", "https://127.0.0.1:" + herald.clientPort(),
                    "CA_FILE", cert.toAbsolutePath().toString(), "TOKEN", tokens.user("tls-user", "team-tls")));
            assertThat(grpcConnections(herald.grpcPort(), cert)).isGreaterThanOrEqualTo(0);
            assertThat(presented(herald.clientPort())).isEqualTo("CN=herald-test-a");

            Path newCert = dir.resolve("new-cert.pem"), newKey = dir.resolve("new-key.pem");
            selfSigned("herald-test-b", newCert, newKey);
            Files.move(newKey, key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.move(newCert, cert, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            // A later modification time whatever the file system's resolution: the watcher compares them.
            FileTime later = FileTime.from(Instant.now().plusSeconds(5));
            Files.setLastModifiedTime(key, later);
            Files.setLastModifiedTime(cert, later);

            await().atMost(Duration.ofSeconds(20)).until(() -> presented(herald.clientPort()).equals("CN=herald-test-b"));
            assertThat(presented(herald.grpcPort())).isEqualTo("CN=herald-test-b");
            assertThat(grpcConnections(herald.grpcPort(), cert)).as("a client trusting only the new certificate").isGreaterThanOrEqualTo(0);
        }
    }
}
