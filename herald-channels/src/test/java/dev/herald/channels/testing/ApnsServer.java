package dev.herald.channels.testing;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.handler.codec.http2.HttpToHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.InboundHttp2ToHttpAdapterBuilder;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * APNs on a loopback port: HTTP/2 only (ALPN {@code h2}, TLS with a self-signed certificate made
 * by the JDK's keytool; {@link #clientSsl()} trusts it), checking every request as Apple does:
 * {@code POST /3/device/<token>}, {@code authorization: bearer <JWT>} with an ES256 token that
 * verifies under the team's key, {@code kid} the key id, {@code iss} the team and {@code iat} less
 * than an hour old (403 {@code InvalidProviderToken} / {@code ExpiredProviderToken} otherwise),
 * {@code apns-topic} the app's (400 {@code BadTopic}), {@code apns-push-type: alert} (400
 * {@code InvalidPushType}), and a JSON body with {@code aps.alert}. Accepted requests are answered
 * from the script kept per device token, default 200 with the request's {@code apns-id}. Thread-safe.
 */
public final class ApnsServer implements AutoCloseable {
    /** An accepted notification; {@code headers} lower-cased. */
    public record Received(String deviceToken, Map<String, String> headers, String body, String providerToken) {}

    private final ECPublicKey teamKey;
    private final String keyId;
    private final String teamId;
    private final String topic;
    private final Clock clock;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;
    private final SSLContext clientSsl;
    private final Map<String, List<PushAnswer>> scripts = new HashMap<>();
    private final Map<String, Integer> counts = new HashMap<>();
    private final List<Received> received = new ArrayList<>();
    private final List<String> refusals = new ArrayList<>();

    private ApnsServer(ECPublicKey teamKey, String keyId, String teamId, String topic, Clock clock, Path dir) throws Exception {
        this.teamKey = teamKey;
        this.keyId = keyId;
        this.teamId = teamId;
        this.topic = topic;
        this.clock = clock;
        KeyStore store = certificate(dir);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        clientSsl = SSLContext.getInstance("TLS");
        clientSsl.init(null, tmf.getTrustManagers(), null);
        SslContext ssl = SslContextBuilder.forServer(kmf).sslProvider(SslProvider.JDK)
                .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2))
                .build();
        channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(ssl.newHandler(ch.alloc()), new ApplicationProtocolNegotiationHandler("none") {
                            @Override
                            protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
                                if (!ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                                    refuse("not http/2: " + protocol);
                                    ctx.close();
                                    return;
                                }
                                var connection = new DefaultHttp2Connection(true);
                                ctx.pipeline().addLast(new HttpToHttp2ConnectionHandlerBuilder().connection(connection)
                                        .frameListener(new InboundHttp2ToHttpAdapterBuilder(connection).maxContentLength(64 * 1024)
                                                .propagateSettings(false).validateHttpHeaders(false).build()).build(),
                                        new Handler());
                            }
                        });
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    /** An APNs accepting provider tokens signed by {@code teamKey} for {@code keyId}/{@code teamId}, for {@code topic}. */
    public static ApnsServer start(ECPublicKey teamKey, String keyId, String teamId, String topic, Clock clock) {
        try {
            Path dir = Files.createTempDirectory("apns-tls");
            dir.toFile().deleteOnExit();
            return new ApnsServer(teamKey, keyId, teamId, topic, clock, dir);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the APNs stand-in", e);
        }
    }

    public String baseUrl() {
        return "https://127.0.0.1:" + ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** An SSLContext trusting this server's certificate only. */
    public SSLContext clientSsl() {
        return clientSsl;
    }

    public synchronized ApnsServer respond(String deviceToken, PushAnswer... answers) {
        scripts.put(deviceToken, List.of(answers));
        return this;
    }

    public synchronized List<Received> received() {
        return List.copyOf(received);
    }

    /** Why requests were refused (a provider token, a header), oldest first. */
    public synchronized List<String> refusals() {
        return List.copyOf(refusals);
    }

    private synchronized void refuse(String why) {
        refusals.add(why);
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            String streamId = request.headers().get(HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text());
            String body = request.content().toString(StandardCharsets.UTF_8);
            FullHttpResponse response = answer(request.method().name(), request.uri(), request.headers(), body);
            response.headers().set(HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text(), streamId);
            response.headers().setInt("content-length", response.content().readableBytes());
            ctx.writeAndFlush(response);
        }
    }

    private FullHttpResponse answer(String method, String path, HttpHeaders h, String body) {
        if (!method.equals("POST") || !path.startsWith("/3/device/")) return reply(404, "BadPath", Map.of());
        String device = path.substring("/3/device/".length());
        String auth = h.get("authorization");
        String token = auth != null && auth.startsWith("bearer ") ? auth.substring(7) : null;
        String tokenProblem = checkToken(token);
        if (tokenProblem != null) {
            refuse(tokenProblem);
            return reply(403, tokenProblem, Map.of());
        }
        if (!topic.equals(h.get("apns-topic"))) return refused(400, "BadTopic");
        if (!"alert".equals(h.get("apns-push-type"))) return refused(400, "InvalidPushType");
        String priority = h.get("apns-priority");
        if (priority != null && !priority.equals("10") && !priority.equals("5")) return refused(400, "BadPriority");
        String apnsId = h.get("apns-id");
        if (apnsId != null) {
            try {
                UUID.fromString(apnsId);
            } catch (IllegalArgumentException e) {
                return refused(400, "BadMessageId");
            }
        }
        try {
            if (!new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).path("aps").path("alert").isObject()) return refused(400, "PayloadEmpty");
        } catch (IOException e) {
            return refused(400, "BadPayload");
        }
        PushAnswer answer;
        synchronized (this) {
            int n = counts.merge(device, 1, Integer::sum);
            List<PushAnswer> script = scripts.getOrDefault(device, List.of(PushAnswer.ok()));
            answer = script.get(Math.min(n, script.size()) - 1);
            if (answer.success()) {
                Map<String, String> headers = new HashMap<>();
                h.forEach(e -> headers.put(e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue()));
                received.add(new Received(device, Map.copyOf(headers), body, token));
            }
        }
        String id = apnsId == null ? UUID.randomUUID().toString() : apnsId;
        if (answer.success()) return reply(200, null, Map.of("apns-id", id));
        return reply(answer.status(), answer.body(), answer.headers());
    }

    private FullHttpResponse refused(int status, String reason) {
        refuse(reason);
        return reply(status, reason, Map.of());
    }

    /** Null when {@code token} is a provider token Apple would take now, else Apple's reason. */
    private String checkToken(String token) {
        if (token == null) return "MissingProviderToken";
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm()) || !keyId.equals(jwt.getHeader().getKeyID())
                    || !jwt.verify(new ECDSAVerifier(teamKey))) return "InvalidProviderToken";
            JWTClaimsSet c = jwt.getJWTClaimsSet();
            if (!teamId.equals(c.getIssuer()) || c.getIssueTime() == null) return "InvalidProviderToken";
            Instant iat = c.getIssueTime().toInstant();
            if (!iat.isAfter(clock.instant().minus(Duration.ofHours(1)))) return "ExpiredProviderToken";
            return null;
        } catch (Exception e) {
            return "InvalidProviderToken";
        }
    }

    private static FullHttpResponse reply(int status, String reason, Map<String, String> headers) {
        String body = reason == null ? "" : reason.startsWith("{") ? reason : "{\"reason\":\"" + reason + "\"}";
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        headers.forEach((k, v) -> r.headers().set(k, v));
        if (!body.isEmpty()) r.headers().set("content-type", "application/json");
        return r;
    }

    private static KeyStore shared;

    /** One certificate per JVM: keytool takes seconds on a busy machine. */
    private static synchronized KeyStore certificate(Path dir) throws Exception {
        if (shared == null) shared = selfSigned(dir);
        return shared;
    }

    /** A PKCS#12 store with an EC key and a self-signed certificate for 127.0.0.1, made by keytool. */
    private static KeyStore selfSigned(Path dir) throws Exception {
        Path file = dir.resolve("apns.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "apns", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-keystore", file.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException("keytool failed: " + out);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(file.toFile())) {
            store.load(in, "changeit".toCharArray());
        }
        return store;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
