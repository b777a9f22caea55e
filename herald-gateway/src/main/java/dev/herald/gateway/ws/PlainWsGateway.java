package dev.herald.gateway.ws;

import dev.herald.core.auth.Authenticator;
import dev.herald.core.deliver.live.SessionHandler;
import dev.herald.core.http.HttpRequest;
import dev.herald.gateway.GatewayConfig;
import dev.herald.gateway.GatewayMetrics;
import dev.herald.gateway.HandshakeGate;
import dev.herald.gateway.SessionRegistry;
import dev.herald.gateway.http.Cors;
import dev.herald.gateway.http.HttpReplies;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.time.Clock;

/** Accepts plain WebSocket connections at /ws and turns each into a {@link PlainWsSession}. */
public final class PlainWsGateway {
    private final GatewayConfig config;
    private final Authenticator authenticator;
    private final SessionHandler handler;
    private final SessionRegistry registry;
    private final GatewayMetrics metrics;
    private final Clock clock;
    private final HandshakeGate handshakes;

    public PlainWsGateway(GatewayConfig config, Authenticator authenticator, SessionHandler handler,
                          SessionRegistry registry, GatewayMetrics metrics, Clock clock, HandshakeGate handshakes) {
        this.config = config;
        this.authenticator = authenticator;
        this.handler = handler;
        this.registry = registry;
        this.metrics = metrics;
        this.clock = clock;
        this.handshakes = handshakes;
    }

    /** Takes over the request on the event loop; the caller releases it. */
    public void handle(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder qs, HttpRequest info) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        if (!"websocket".equalsIgnoreCase(req.headers().get(HttpHeaderNames.UPGRADE))) {
            HttpReplies.error(ctx, 400, "INVALID_ARGUMENT", "a WebSocket upgrade is required on /ws", keepAlive);
            return;
        }
        if (!Cors.allows(config.listen().allowedOrigins(), req.headers().get(HttpHeaderNames.ORIGIN))) {
            HttpReplies.error(ctx, 403, "FORBIDDEN", "origin not allowed", keepAlive);
            return;
        }
        String url = (ctx.pipeline().get("tls") != null ? "wss://" : "ws://") + req.headers().get(HttpHeaderNames.HOST, "localhost") + req.uri();
        // The decoder does not close on an oversized frame by itself, so an oversized auth frame can
        // still be answered with INVALID_TOKEN before the 1009 (see PlainWsFrames).
        WebSocketDecoderConfig decoder = WebSocketDecoderConfig.newBuilder().allowExtensions(true)
                .maxFramePayloadLength(config.limits().maxPayloadBytes()).closeOnProtocolViolation(false).build();
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(url, null, decoder).newHandshaker(req);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        PlainWsSession session = new PlainWsSession(ctx.channel(), config, authenticator, handler, registry, metrics, clock, handshakes);
        var pipeline = ctx.pipeline();
        pipeline.addAfter(ctx.name(), "plain-ws", session.frameHandler());
        pipeline.addAfter(ctx.name(), "ws-aggregator", new WebSocketFrameAggregator(config.limits().maxPayloadBytes()));
        handshaker.handshake(ctx.channel(), req).addListener(f -> {
            if (f.isSuccess()) session.start(tokenFrom(info));
        });
        pipeline.remove(ctx.handler());
        if (pipeline.get(Cors.class) != null) pipeline.remove(Cors.class); // no more HTTP on this connection
    }

    /** ?token= or Authorization: Bearer; null means the first frame must authenticate. */
    static String tokenFrom(HttpRequest info) {
        var q = info.queryParam("token");
        if (q.isPresent() && !q.get().isBlank()) return q.get();
        var h = info.header("authorization");
        if (h.isPresent() && h.get().regionMatches(true, 0, "Bearer ", 0, 7)) {
            String v = h.get().substring(7).trim();
            if (!v.isEmpty()) return v;
        }
        return null;
    }
}
