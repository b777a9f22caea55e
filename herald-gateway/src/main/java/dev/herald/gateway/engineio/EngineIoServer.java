package dev.herald.gateway.engineio;

import dev.herald.core.deliver.live.DisconnectReason;
import dev.herald.core.deliver.live.Transport;
import dev.herald.core.http.HttpRequest;
import dev.herald.gateway.GatewayConfig.EngineTransport;
import dev.herald.gateway.GatewayConfig;
import dev.herald.gateway.GatewayMetrics;
import dev.herald.gateway.http.Cors;
import dev.herald.gateway.http.HttpReplies;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Engine.IO v4 at one path: the handshake, the polling requests and the WebSocket upgrades, over
 * sessions kept in a map by sid. The sid is always generated here, never taken from the client.
 */
public final class EngineIoServer {
    /** engine.io's error codes, answered as HTTP 400 {"code":N,"message":…}. */
    public record EngineError(int code, String message) {
    }

    public static final EngineError UNKNOWN_TRANSPORT = new EngineError(0, "Transport unknown");
    public static final EngineError UNKNOWN_SID = new EngineError(1, "Session ID unknown");
    public static final EngineError BAD_HANDSHAKE_METHOD = new EngineError(2, "Bad handshake method");
    public static final EngineError BAD_REQUEST = new EngineError(3, "Bad request");
    public static final EngineError FORBIDDEN = new EngineError(4, "Forbidden");
    public static final EngineError UNSUPPORTED_VERSION = new EngineError(5, "Unsupported protocol version");

    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureRandom::new);

    private final GatewayConfig config;
    private final EngineListener listener;
    private final GatewayMetrics metrics;
    private final Map<String, EngineSocket> sockets = new ConcurrentHashMap<>();
    /**
     * One decoder configuration for every WebSocket (each decoder keeps a reference to it). The
     * decoder does not close on an oversized frame by itself: the frame handler lets the session
     * answer first (a CONNECT_ERROR for an oversized auth payload), then closes with 1009.
     */
    private final WebSocketDecoderConfig wsDecoder;

    public EngineIoServer(GatewayConfig config, EngineListener listener, GatewayMetrics metrics) {
        this.config = config;
        this.wsDecoder = WebSocketDecoderConfig.newBuilder().allowExtensions(true)
                .maxFramePayloadLength(config.limits().maxPayloadBytes()).closeOnProtocolViolation(false).build();
        this.listener = listener;
        this.metrics = metrics;
    }

    GatewayConfig config() {
        return config;
    }

    public Collection<EngineSocket> sockets() {
        return sockets.values();
    }

    void remove(EngineSocket socket, DisconnectReason reason) {
        if (sockets.remove(socket.id(), socket)) {
            metrics.sessionClosed(reason);
            if (reason.equals(DisconnectReason.SLOW_CONSUMER)) metrics.slowConsumerDropped();
        }
    }

    /** Serves one request under this server's path; the caller releases {@code req}. */
    public void handle(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder qs, HttpRequest info) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        String transport = param(qs, "transport");
        boolean wsUpgrade = "websocket".equalsIgnoreCase(req.headers().get(HttpHeaderNames.UPGRADE));
        EngineTransport wanted = "polling".equals(transport) ? EngineTransport.POLLING
                : "websocket".equals(transport) ? EngineTransport.WEBSOCKET : null;
        if (wanted == null || !config.offers(wanted)) {
            reject(ctx, UNKNOWN_TRANSPORT, keepAlive);
            return;
        }
        if (!"4".equals(param(qs, "EIO"))) {
            reject(ctx, UNSUPPORTED_VERSION, keepAlive);
            return;
        }
        if (wsUpgrade && !Cors.allows(config.listen().allowedOrigins(), req.headers().get(HttpHeaderNames.ORIGIN))) {
            reject(ctx, FORBIDDEN, keepAlive);
            return;
        }
        if ((wanted == EngineTransport.WEBSOCKET) != wsUpgrade) {
            reject(ctx, BAD_REQUEST, keepAlive);
            return;
        }
        String sid = param(qs, "sid");
        if (sid == null) {
            handshake(ctx, req, wanted, info, keepAlive);
            return;
        }
        EngineSocket socket = sockets.get(sid);
        if (socket == null) {
            reject(ctx, UNKNOWN_SID, keepAlive);
            return;
        }
        if (wanted == EngineTransport.WEBSOCKET) {
            // A second WebSocket for a session (already upgraded, or probing) is accepted and closed
            // at once, as engine.io does: clients see a close, not a failed handshake.
            // The probe is attached before the 101 is written, so it is in place before any request
            // the client sends after seeing the WebSocket open.
            Channel ch = ctx.channel();
            socket.enqueueTask(() -> socket.attachProbe(ch));
            upgradeToWebSocket(ctx, req, socket, true);
        } else if (req.method().equals(HttpMethod.GET)) {
            socket.enqueueTask(() -> socket.onPollingGet(ctx, keepAlive));
        } else if (req.method().equals(HttpMethod.POST)) {
            String body = req.content().toString(StandardCharsets.UTF_8);
            socket.enqueueTask(() -> socket.onPollingPost(ctx, body, keepAlive));
        } else {
            reject(ctx, BAD_REQUEST, keepAlive);
        }
    }

    /**
     * A polling POST over maxPayload: its session is told (see {@link EngineSocketHandler#onOversized})
     * and closed; {@code answered} completes once the pending poll carrying the answer is written.
     */
    public void oversized(QueryStringDecoder qs, CompletableFuture<Void> answered) {
        String sid = param(qs, "sid");
        EngineSocket socket = sid == null ? null : sockets.get(sid);
        if (socket == null) {
            answered.complete(null);
            return;
        }
        socket.enqueueTask(() -> {
            try {
                socket.onPollingOversized().addListener(f -> answered.complete(null));
            } catch (RuntimeException e) {
                answered.complete(null);
                throw e;
            }
        });
    }

    private void handshake(ChannelHandlerContext ctx, FullHttpRequest req, EngineTransport wanted, HttpRequest info,
                           boolean keepAlive) {
        if (!req.method().equals(HttpMethod.GET)) {
            reject(ctx, BAD_HANDSHAKE_METHOD, keepAlive);
            return;
        }
        String sid = newSid();
        var loop = ctx.channel().eventLoop();
        info = slim(info);
        if (wanted == EngineTransport.POLLING) {
            EngineSocket socket = new EngineSocket(sid, loop, this, info, Transport.POLLING);
            register(socket);
            socket.openPolling(ctx, keepAlive, config.offers(EngineTransport.WEBSOCKET));
            listener.onOpen(socket);
            return;
        }
        EngineSocket socket = new EngineSocket(sid, loop, this, info, Transport.WEBSOCKET);
        Channel ch = upgradeToWebSocket(ctx, req, socket, false);
        if (ch == null) return;
        register(socket);
        socket.openWebSocket(ch);
        listener.onOpen(socket);
    }

    private void register(EngineSocket socket) {
        sockets.put(socket.id(), socket);
        metrics.sessionOpened();
    }

    /** Completes the WebSocket handshake and swaps the HTTP router for the frame handler. */
    private Channel upgradeToWebSocket(ChannelHandlerContext ctx, FullHttpRequest req, EngineSocket socket, boolean probe) {
        String url = "ws://" + req.headers().get(HttpHeaderNames.HOST, "localhost") + req.uri();
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(url, null, wsDecoder).newHandshaker(req);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return null;
        }
        Channel ch = ctx.channel();
        var pipeline = ch.pipeline();
        pipeline.addAfter(ctx.name(), "eio-ws", new EngineWsFrameHandler(socket, probe));
        pipeline.addAfter(ctx.name(), "ws-aggregator", new WebSocketFrameAggregator(config.limits().maxPayloadBytes()));
        handshaker.handshake(ch, req);
        pipeline.remove(ctx.handler());
        if (pipeline.get(Cors.class) != null) pipeline.remove(Cors.class); // no more HTTP on this connection
        return ch;
    }

    public static void reject(ChannelHandlerContext ctx, EngineError error, boolean keepAlive) {
        String body = "{\"code\":" + error.code() + ",\"message\":\"" + error.message() + "\"}";
        HttpReplies.send(ctx, error.code() == FORBIDDEN.code() ? 403 : 400, HttpReplies.JSON,
                body.getBytes(StandardCharsets.UTF_8), keepAlive);
    }

    private static String param(QueryStringDecoder qs, String name) {
        List<String> v = qs.parameters().get(name);
        return v == null || v.isEmpty() ? null : v.getFirst();
    }

    private static String newSid() {
        byte[] b = new byte[15];
        RANDOM.get().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Closes every session, telling clients where the transport can. */
    public void closeAll(DisconnectReason reason) {
        for (EngineSocket s : sockets.values()) s.close(reason);
    }

    /**
     * Headers a session reads after its handshake: the token fallback of a namespace CONNECT. The rest
     * (a browser's user-agent, origin, accept-language: ~300 bytes) would stay on every idle session.
     */
    private static final List<String> KEPT_HEADERS = List.of("authorization");

    /** Engine.IO's own query parameters, useless once the session exists. */
    private static final List<String> ENGINE_PARAMS = List.of("EIO", "transport", "sid", "t", "b64");

    static HttpRequest slim(HttpRequest full) {
        Map<String, String> headers = new java.util.HashMap<>(4);
        for (String h : KEPT_HEADERS) full.header(h).ifPresent(v -> headers.put(h, v));
        Map<String, List<String>> query = new java.util.HashMap<>(4);
        full.query().forEach((k, v) -> {
            if (!ENGINE_PARAMS.contains(k)) query.put(k, List.copyOf(v));
        });
        return new HttpRequest(full.method(), full.path(), query, headers, null, full.remoteAddress());
    }
}
