package dev.herald.gateway.http;

import dev.herald.core.http.HttpRequest;
import dev.herald.core.http.HttpResponse;
import dev.herald.core.http.HttpService;
import dev.herald.gateway.engineio.EngineIoServer;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFuture;
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
import java.util.concurrent.CompletableFuture;
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
    private final HttpDrain drain;

    /**
     * @param engines Engine.IO endpoints by path ("/socket.io/"); matched with or without the final slash
     * @param drain counts the services' requests in flight; once draining, new work is refused with 503
     */
    public Router(Map<String, Endpoint> engines, Endpoint plainWebSocket, List<HttpService> services, Executor blocking,
                  HttpDrain drain) {
        this.engines = engines;
        this.plainWebSocket = plainWebSocket;
        this.services = services;
        this.blocking = blocking;
        this.drain = drain;
    }

    public Router(Map<String, Endpoint> engines, Endpoint plainWebSocket, List<HttpService> services, Executor blocking) {
        this(engines, plainWebSocket, services, blocking, new HttpDrain());
    }

    public static Endpoint engine(EngineIoServer server) {
        return new OversizedAware() {
            @Override
            public void handle(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder qs, HttpRequest info) {
                server.handle(ctx, req, qs, info);
            }

            @Override
            public void oversized(QueryStringDecoder qs, CompletableFuture<Void> answered) {
                server.oversized(qs, answered);
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
            // A session's own requests still pass while draining: they carry its goodbye.
            if (drain.draining() && !qs.parameters().containsKey("sid")) {
                refuseWhileDraining(ctx);
                return;
            }
            engine.handle(ctx, req, qs, info(ctx, req, qs, false));
            return;
        }
        if ("/ws".equals(path) && plainWebSocket != null) {
            if (drain.draining()) {
                refuseWhileDraining(ctx);
                return;
            }
            plainWebSocket.handle(ctx, req, qs, info(ctx, req, qs, false));
            return;
        }
        if (!drain.enter()) {
            refuseWhileDraining(ctx);
            return;
        }
        HttpRequest request = info(ctx, req, qs, true);
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        try {
            blocking.execute(() -> serve(ctx, request, keepAlive));
        } catch (RuntimeException rejected) {
            drain.exit();
            throw rejected;
        }
    }

    private static void refuseWhileDraining(ChannelHandlerContext ctx) {
        HttpReplies.error(ctx, 503, "UNAVAILABLE", "the server is shutting down; retry on another node", false);
    }

    private void serve(ChannelHandlerContext ctx, HttpRequest request, boolean keepAlive) {
        ChannelFuture written;
        try {
            written = answer(ctx, request, keepAlive);
        } catch (RuntimeException e) {
            drain.exit();
            throw e;
        }
        written.addListener(f -> drain.exit());
    }

    private ChannelFuture answer(ChannelHandlerContext ctx, HttpRequest request, boolean keepAlive) {
        try {
            for (HttpService service : services) {
                Optional<HttpResponse> answer = service.handle(request);
                if (answer.isPresent()) {
                    HttpResponse r = answer.get();
                    // Read after the work: an answer finished during the drain tells the client not to come back.
                    return HttpReplies.send(ctx, r.status(), r.contentType(), r.body(), keepAlive && !drain.draining(), r.headers());
                }
            }
            return HttpReplies.error(ctx, 404, "NOT_FOUND", "no route for " + request.method() + " " + request.path(),
                    keepAlive && !drain.draining());
        } catch (RuntimeException e) {
            log.error("HTTP service failed on {} {}", request.method(), request.path(), e);
            return HttpReplies.error(ctx, 500, "INTERNAL", "internal error", keepAlive && !drain.draining());
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
            if (engine instanceof OversizedAware aware) aware.oversized(qs, o.answered());
            else o.answered().complete(null);
        }
        ctx.fireUserEventTriggered(evt);
    }

    /** An endpoint that wants to hear about bodies over maxPayload (to close the sender's session). */
    public interface OversizedAware extends Endpoint {
        /** Answers the sender's session, then completes {@code answered} (the 413 waits for it). */
        void oversized(QueryStringDecoder qs, CompletableFuture<Void> answered);
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
