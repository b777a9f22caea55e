package dev.herald.bench.webhook;

import dev.herald.bench.client.Transports;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
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
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A webhook endpoint for the {@code webhooks} scenario: a bare Netty HTTP/1.1 server on a loopback
 * port that answers every POST at once and counts it in a {@link WebhookTally} by
 * {@code webhook-id}. It checks the Standard Webhooks signature of the first request and of every
 * {@code verifyEvery}-th after it (a request that fails is answered 401, which the sender treats as
 * a permanent failure, so a badly signed webhook is never counted as received). With
 * {@code failPercent} above 0 it answers 503 to the <em>first</em> attempt of that share of the
 * webhooks (chosen by a hash of the id, so the same ones on every run): the sender must retry them.
 *
 * <p>One event loop: the receiver must cost the machine little next to the server it measures.
 */
public final class WebhookReceiver implements AutoCloseable {
    private final EventLoopGroup group = Transports.group(1);
    private final Channel server;
    private final WebhookSignature signature;
    private final int verifyEvery;
    private final int failPerTenThousand;
    private final WebhookTally tally = new WebhookTally();
    private final AtomicLong sequence = new AtomicLong();

    /**
     * @param secret      {@code whsec_<base64>}, the server's {@code WEBHOOK_SIGNING_SECRET}
     * @param verifyEvery check the signature of one request in this many (1: every one)
     * @param failPercent share of webhooks whose first attempt is answered 503, 0 to 100
     */
    public WebhookReceiver(String secret, int verifyEvery, double failPercent) throws InterruptedException {
        if (verifyEvery < 1) throw new IllegalArgumentException("--verify-every must be 1 or more");
        if (failPercent < 0 || failPercent > 100) throw new IllegalArgumentException("--fail-percent must be 0..100");
        this.signature = WebhookSignature.of(secret);
        this.verifyEvery = verifyEvery;
        this.failPerTenThousand = (int) Math.round(failPercent * 100);
        Handler handler = new Handler();
        this.server = new ServerBootstrap().group(group).channel(Transports.server())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), handler);
                    }
                }).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
    }

    /** {@code http://127.0.0.1:<port>/hook/}: a user's URL is this plus the user id. */
    public String baseUrl() {
        InetSocketAddress a = (InetSocketAddress) server.localAddress();
        return "http://" + a.getAddress().getHostAddress() + ":" + a.getPort() + "/hook/";
    }

    public WebhookTally tally() {
        return tally;
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
            HttpHeaders h = req.headers();
            String id = h.get("webhook-id");
            if (id == null) {
                tally.malformed();
                answer(ctx, req, HttpResponseStatus.BAD_REQUEST);
                return;
            }
            int attempt = tally.arrived(id);
            byte[] body = ByteBufUtil.getBytes(req.content());
            if (sequence.getAndIncrement() % verifyEvery == 0) {
                boolean good = signature.verifies(id, h.get("webhook-timestamp"), h.get("webhook-signature"), body);
                tally.signatureChecked(good);
                if (!good) {
                    answer(ctx, req, HttpResponseStatus.UNAUTHORIZED);
                    return;
                }
            }
            if (attempt == 1 && failPerTenThousand > 0 && Math.floorMod(id.hashCode(), 10_000) < failPerTenThousand) {
                tally.answered503();
                answer(ctx, req, HttpResponseStatus.SERVICE_UNAVAILABLE);
                return;
            }
            String json = new String(body, StandardCharsets.UTF_8);
            int data = json.indexOf("\"data\"");
            tally.accepted(id, field(json, "\"seq\":", data), field(json, "\"ts\":", data), System.nanoTime());
            answer(ctx, req, HttpResponseStatus.OK);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private static void answer(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status) {
        FullHttpResponse r = new DefaultFullHttpResponse(req.protocolVersion(), status);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        HttpUtil.setKeepAlive(r, keepAlive);
        var written = ctx.writeAndFlush(r);
        if (!keepAlive) written.addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * The integer after {@code name} at or after {@code from} in a compact JSON text (how Herald
     * writes the notification and how the bench wrote {@code data}); {@link WebhookTally#ABSENT}
     * when it is not there. A scan, not a parse: the receiver must stay cheap.
     */
    static long field(String json, String name, int from) {
        if (from < 0) return WebhookTally.ABSENT;
        int at = json.indexOf(name, from);
        if (at < 0) return WebhookTally.ABSENT;
        int i = at + name.length();
        while (i < json.length() && json.charAt(i) == ' ') i++;
        int start = i;
        if (i < json.length() && json.charAt(i) == '-') i++;
        while (i < json.length() && Character.isDigit(json.charAt(i))) i++;
        try {
            return Long.parseLong(json, start, i, 10);
        } catch (NumberFormatException e) {
            return WebhookTally.ABSENT;
        }
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
