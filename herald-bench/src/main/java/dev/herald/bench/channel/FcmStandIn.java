package dev.herald.bench.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.herald.bench.client.Transports;
import dev.herald.bench.webhook.WebhookTally;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Google's two FCM HTTP v1 endpoints for the {@code push} scenario, on a loopback port, checking
 * what Google checks (written from Google's documentation, not from Herald's sender):
 * <ul>
 *   <li>{@code POST /token}: the JWT-bearer grant only, its assertion RS256-signed by the service
 *       account's key ({@link ServiceAccountFile}), {@code iss} the account, {@code aud} this URL,
 *       {@code scope} firebase.messaging, at most an hour long and not expired; answers an access
 *       token valid an hour (400 {@code invalid_grant} otherwise, counted in {@link #refusedGrants});</li>
 *   <li>{@code POST /v1/projects/{project}/messages:send}: only with a bearer token it issued (401
 *       otherwise) and a v1 message ({@code message.token}, a {@code notification} of strings,
 *       {@code data} of strings only; 400 otherwise, counted in {@link #refusedSends}); answers 200
 *       {@code {"name": …}} and counts the message in a {@link WebhookTally} by {@code data.id} (the
 *       notification id, one per recipient), with the create→received latency from the title,
 *       {@code Bench <seq> <ts>}.</li>
 * </ul>
 * A bare Netty HTTP/1.1 server on one event loop, as the webhook receiver: cheap next to the server
 * it measures. Herald's HTTP/2 client offers h2c on plain http and carries on in HTTP/1.1.
 */
public final class FcmStandIn implements AutoCloseable {
    static final String SCOPE = "https://www.googleapis.com/auth/firebase.messaging";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EventLoopGroup group = Transports.group(1);
    private final Channel server;
    private final ServiceAccountFile.Account account;
    private final RSASSAVerifier verifier;
    private final String tokenUrl;
    private final String sendPath;
    private final Map<String, Instant> issued = new ConcurrentHashMap<>();
    private final WebhookTally tally = new WebhookTally();
    private final AtomicLong grants = new AtomicLong();
    private final AtomicLong refusedGrants = new AtomicLong();
    private final AtomicLong refusedSends = new AtomicLong();
    private final AtomicLong names = new AtomicLong();

    /** Listens on 127.0.0.1:{@code port} (the port of the server's FCM_BASE_URL and FCM_TOKEN_URL). */
    public FcmStandIn(int port, ServiceAccountFile.Account account) throws InterruptedException {
        if (port < 1 || port > 65_535) throw new IllegalArgumentException("--fcm-port must be 1..65535 (the port in the server's FCM_BASE_URL)");
        this.account = account;
        this.verifier = new RSASSAVerifier(account.publicKey());
        this.tokenUrl = "http://127.0.0.1:" + port + "/token";
        this.sendPath = "/v1/projects/" + account.projectId() + "/messages:send";
        Handler handler = new Handler();
        this.server = new ServerBootstrap().group(group).channel(Transports.server())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 16), handler);
                    }
                }).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)).sync().channel();
    }

    public WebhookTally tally() {
        return tally;
    }

    /** Access tokens issued. */
    public long grants() {
        return grants.get();
    }

    public long refusedGrants() {
        return refusedGrants.get();
    }

    /** Sends refused for a missing or unknown bearer token, or a message of the wrong shape. */
    public long refusedSends() {
        return refusedSends.get();
    }

    @Sharable
    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            tally.connected();
            ctx.fireChannelActive();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            String path = new QueryStringDecoder(req.uri()).path();
            if (req.method() != HttpMethod.POST) {
                answer(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, "");
            } else if (path.equals("/token")) {
                token(ctx, req);
            } else if (path.startsWith("/v1/projects/")) {
                send(ctx, req, path);
            } else {
                answer(ctx, req, HttpResponseStatus.NOT_FOUND, "{\"error\":{\"code\":404,\"status\":\"NOT_FOUND\"}}");
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private void token(ChannelHandlerContext ctx, FullHttpRequest req) {
        QueryStringDecoder form = new QueryStringDecoder(req.content().toString(StandardCharsets.UTF_8), false);
        Map<String, List<String>> p = form.parameters();
        String grant = first(p, "grant_type");
        if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(grant) || !validAssertion(first(p, "assertion"))) {
            refusedGrants.incrementAndGet();
            answer(ctx, req, HttpResponseStatus.BAD_REQUEST, "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT\"}");
            return;
        }
        String token = "ya29.bench-" + UUID.randomUUID();
        issued.put(token, Instant.now().plusSeconds(3600));
        grants.incrementAndGet();
        answer(ctx, req, HttpResponseStatus.OK, "{\"access_token\":\"" + token + "\",\"expires_in\":3600,\"token_type\":\"Bearer\"}");
    }

    private boolean validAssertion(String assertion) {
        if (assertion == null) return false;
        try {
            SignedJWT jwt = SignedJWT.parse(assertion);
            if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) return false;
            JWTClaimsSet c = jwt.getJWTClaimsSet();
            Instant now = Instant.now();
            return account.clientEmail().equals(c.getIssuer()) && c.getAudience().equals(List.of(tokenUrl))
                    && SCOPE.equals(c.getStringClaim("scope")) && c.getIssueTime() != null && c.getExpirationTime() != null
                    && !c.getIssueTime().toInstant().isAfter(now.plusSeconds(60))
                    && c.getExpirationTime().toInstant().isAfter(now)
                    && !c.getExpirationTime().toInstant().isAfter(c.getIssueTime().toInstant().plusSeconds(3600));
        } catch (Exception e) {
            return false;
        }
    }

    private void send(ChannelHandlerContext ctx, FullHttpRequest req, String path) {
        String auth = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
        Instant expires = token == null ? null : issued.get(token);
        if (expires == null || !Instant.now().isBefore(expires)) {
            refusedSends.incrementAndGet();
            answer(ctx, req, HttpResponseStatus.UNAUTHORIZED, "{\"error\":{\"code\":401,\"status\":\"UNAUTHENTICATED\"}}");
            return;
        }
        JsonNode m = path.equals(sendPath) ? message(req) : null;
        String id = m == null ? null : m.path("data").path("id").asText(null);
        if (m == null || id == null) {
            refusedSends.incrementAndGet();
            answer(ctx, req, HttpResponseStatus.BAD_REQUEST, "{\"error\":{\"code\":400,\"status\":\"INVALID_ARGUMENT\"}}");
            return;
        }
        tally.arrived(id);
        long[] stamp = SmtpSink.stamp(m.path("notification").path("title").asText(null));
        tally.accepted(id, stamp[0], stamp[1], System.nanoTime());
        answer(ctx, req, HttpResponseStatus.OK, "{\"name\":\"projects/" + account.projectId() + "/messages/" + names.incrementAndGet() + "\"}");
    }

    /** The {@code message} when the body is an FCM v1 message, else null. */
    private static JsonNode message(FullHttpRequest req) {
        try (ByteBufInputStream in = new ByteBufInputStream(req.content())) {
            JsonNode m = JSON.readTree((java.io.InputStream) in).path("message");
            if (!m.path("token").isTextual() || m.path("token").asText().isBlank()) return null;
            JsonNode n = m.path("notification");
            if (!n.isMissingNode() && (!n.path("title").isTextual() || !n.path("body").isTextual())) return null;
            for (JsonNode v : m.path("data")) if (!v.isTextual()) return null;
            return m;
        } catch (IOException e) {
            return null;
        }
    }

    private static String first(Map<String, List<String>> p, String name) {
        List<String> v = p.get(name);
        return v == null || v.isEmpty() ? null : v.getFirst();
    }

    private static void answer(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String body) {
        FullHttpResponse r = new DefaultFullHttpResponse(req.protocolVersion(), status, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=UTF-8");
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        HttpUtil.setKeepAlive(r, keepAlive);
        var written = ctx.writeAndFlush(r);
        if (!keepAlive) written.addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
