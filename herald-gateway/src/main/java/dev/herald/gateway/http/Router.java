package dev.herald.gateway.http;

import dev.herald.core.http.HttpRequest;
import dev.herald.core.http.HttpResponse;
import dev.herald.core.http.HttpService;
import dev.herald.gateway.engineio.EngineIoServer;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each HTTP request where it belongs: an Engine.IO path, the plain WebSocket endpoint, or the
 * {@link HttpService}s in order on a virtual thread (first answer wins, none means 404).
 */
public final class Router extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(Router.class);

    /** Something that takes over a request on the event loop (Engine.IO, /ws). */
    @FunctionalInterface
    public interface Endpoint {
        void handle(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder qs, HttpRequest info);
    }

    private final Map<String, Endpoint> engines;
    private final Endpoint plainWebSocket;
    private final List<HttpService> services;
    private final Executor blocking;

    /** @param engines Engine.IO endpoints by path ("/socket.io/"); matched with or without the final slash */
    public Router(Map<String, Endpoint> engines, Endpoint plainWebSocket, List<HttpService> services, Executor blocking) {
        this.engines = engines;
        this.plainWebSocket = plainWebSocket;
        this.services = services;
        this.blocking = blocking;
    }

    public static Endpoint engine(EngineIoServer server) {
        return new OversizedAware() {
            @Override
            public void handle(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder qs, HttpRequest info) {
                server.handle(ctx, req, qs, info);
            }

            @Override
            public void oversized(QueryStringDecoder qs) {
                server.oversized(qs);
            }
        };
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        QueryStringDecoder qs = new QueryStringDecoder(req.uri());
        String path = qs.path();
        if (!req.decoderResult().isSuccess()) {
            if (!RequestHead.refuseOversized(ctx, req.decoderResult().cause())) {
                HttpReplies.error(ctx, 400, "INVALID_ARGUMENT", "malformed HTTP request", false);
            }
            return;
        }
        Endpoint engine = engines.get(path.endsWith("/") ? path : path + "/");
        if (engine != null) {
            engine.handle(ctx, req, qs, info(ctx, req, qs, false));
            return;
        }
        if ("/ws".equals(path) && plainWebSocket != null) {
            plainWebSocket.handle(ctx, req, qs, info(ctx, req, qs, false));
            return;
        }
        HttpRequest request = info(ctx, req, qs, true);
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        blocking.execute(() -> serve(ctx, request, keepAlive));
    }

    private void serve(ChannelHandlerContext ctx, HttpRequest request, boolean keepAlive) {
        try {
            for (HttpService service : services) {
                Optional<HttpResponse> answer = service.handle(request);
                if (answer.isPresent()) {
                    HttpResponse r = answer.get();
                    HttpReplies.send(ctx, r.status(), r.contentType(), r.body(), keepAlive, r.headers());
                    return;
                }
            }
            HttpReplies.error(ctx, 404, "NOT_FOUND", "no route for " + request.method() + " " + request.path(), keepAlive);
        } catch (RuntimeException e) {
            log.error("HTTP service failed on {} {}", request.method(), request.path(), e);
            HttpReplies.error(ctx, 500, "INTERNAL", "internal error", keepAlive);
        }
    }

    /** The transport-neutral request; the body is copied only for services. */
    public static HttpRequest info(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder qs, boolean withBody) {
        Map<String, String> headers = new HashMap<>();
        for (Map.Entry<String, String> h : req.headers()) {
            headers.merge(h.getKey().toLowerCase(Locale.ROOT), h.getValue(), (a, b) -> a + ", " + b);
        }
        String remote = ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : "";
        byte[] body = withBody ? ByteBufUtil.getBytes(req.content()) : null;
        return new HttpRequest(req.method().name(), qs.path(), qs.parameters(), headers, body, remote);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof CappedAggregator.Oversized o) {
            QueryStringDecoder qs = new QueryStringDecoder(o.uri());
            String path = qs.path();
            Endpoint engine = engines.get(path.endsWith("/") ? path : path + "/");
            if (engine instanceof OversizedAware aware) aware.oversized(qs);
        }
        ctx.fireUserEventTriggered(evt);
    }

    /** An endpoint that wants to hear about bodies over maxPayload (to close the sender's session). */
    public interface OversizedAware extends Endpoint {
        void oversized(QueryStringDecoder qs);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("closing HTTP connection after error: {}", cause.toString());
        ctx.close();
    }

    static boolean isUpgrade(FullHttpRequest req) {
        return "websocket".equalsIgnoreCase(req.headers().get(HttpHeaderNames.UPGRADE));
    }
}
