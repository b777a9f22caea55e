package dev.herald.bench.ceiling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/** The ceiling's one handler: REST publish routes, stored notifications, and the two WebSocket endpoints. */
final class CeilingHttpHandler extends SimpleChannelInboundHandler<Object> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NOTIFICATIONS = "/api/v1/notifications";
    private static final String OPEN = "0{\"sid\":\"%s\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}";

    private final CeilingServer server;
    private boolean socketIo;
    private boolean connected;
    /** Set by this connection's first notification create; then every answer goes through it, in order. */
    private NotificationLane lane;

    CeilingHttpHandler(CeilingServer server) {
        this.server = server;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest req) http(ctx, req);
        else if (msg instanceof WebSocketFrame f) frame(ctx, f);
    }

    private void http(ChannelHandlerContext ctx, FullHttpRequest req) {
        QueryStringDecoder q = new QueryStringDecoder(req.uri());
        String path = q.path();
        if (req.method() == HttpMethod.GET && (path.equals("/ws") || path.startsWith("/socket.io"))) {
            upgrade(ctx, req, q, path.startsWith("/socket.io"));
            return;
        }
        if (req.method() == HttpMethod.GET && path.equals("/health")) {
            reply(ctx, req, HttpResponseStatus.OK, "{\"status\":\"ok\"}");
            return;
        }
        boolean notifications = req.method() == HttpMethod.POST && path.equals(NOTIFICATIONS);
        List<String> parts = List.of(path.split("/"));
        // "", api, v1, realtime, rooms|users, {id}, events
        if (!notifications && (req.method() != HttpMethod.POST || parts.size() != 7 || !parts.get(3).equals("realtime")
                || !parts.get(6).equals("events"))) {
            reply(ctx, req, HttpResponseStatus.NOT_FOUND, "{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"no such route\"}}");
            return;
        }
        String auth = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (!server.apiKey.isEmpty() && !("Bearer " + server.apiKey).equals(auth)) {
            reply(ctx, req, HttpResponseStatus.UNAUTHORIZED, "{\"error\":{\"code\":\"UNAUTHENTICATED\",\"message\":\"bad API key\"}}");
            return;
        }
        if (notifications) {
            if (lane == null) lane = server.lane(ctx.channel());
            if (lane == null) {
                reply(ctx, req, HttpResponseStatus.SERVICE_UNAVAILABLE, "{\"error\":{\"code\":\"UNAVAILABLE\",\"message\":"
                        + "\"the ceiling stores notifications only with a database: start it with --database-url or DATABASE_URL\"}}");
                return;
            }
            lane.create(ByteBufUtil.getBytes(req.content()), HttpUtil.isKeepAlive(req));
            return;
        }
        String id = QueryStringDecoder.decodeComponent(parts.get(5));
        String room = switch (parts.get(4)) {
            case "rooms" -> id;
            case "users" -> "user:" + id;
            default -> null;
        };
        JsonNode body;
        try {
            body = JSON.readTree(req.content().toString(StandardCharsets.UTF_8));
        } catch (Exception e) {
            body = null;
        }
        if (room == null || body == null || !body.path("eventType").isTextual()) {
            reply(ctx, req, HttpResponseStatus.BAD_REQUEST, "{\"error\":{\"code\":\"VALIDATION_ERROR\",\"message\":\"need eventType and payload\"}}");
            return;
        }
        int n = server.broadcast(room, body.get("eventType").asText(), body.path("payload").toString());
        reply(ctx, req, HttpResponseStatus.OK, "{\"ok\":true,\"delivered\":" + n + "}");
    }

    /** Answers now, or after the notification creates queued before this request. */
    private void reply(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String json) {
        if (lane != null) lane.answer(status, json, HttpUtil.isKeepAlive(req));
        else respond(ctx, req, status, json);
    }

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder q, boolean sio) {
        Jwt.User user = null;
        if (!sio) {
            List<String> token = q.parameters().get("token");
            user = server.jwt.verify(token == null ? null : token.get(0));
            if (user == null) {
                respond(ctx, req, HttpResponseStatus.UNAUTHORIZED, "{\"error\":{\"code\":\"INVALID_TOKEN\",\"message\":\"bad token\"}}");
                return;
            }
        }
        var hs = new WebSocketServerHandshakerFactory("ws://" + req.headers().get(HttpHeaderNames.HOST) + q.path(), null, false, 1 << 20)
                .newHandshaker(req);
        if (hs == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        socketIo = sio;
        Channel ch = ctx.channel();
        ch.attr(CeilingServer.SOCKETIO).set(sio);
        Jwt.User u = user;
        hs.handshake(ch, req).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) return;
            if (sio) {
                ch.writeAndFlush(new TextWebSocketFrame(String.format(OPEN, UUID.randomUUID())));
            } else {
                ready(ch, u);
            }
        });
    }

    private void ready(Channel ch, Jwt.User u) {
        connected = true;
        server.join(ch, "user:" + u.id());
        if (u.team() != null) server.join(ch, "team:" + u.team());
        String id = UUID.randomUUID().toString();
        String data = "{\"socketId\":\"" + id + "\",\"userId\":\"" + u.id() + "\",\"serverTime\":" + System.currentTimeMillis() + "}";
        ch.writeAndFlush(new TextWebSocketFrame(socketIo
                ? "40{\"sid\":\"" + id + "\"}"
                : "{\"event\":\"connection_ready\",\"data\":" + data + "}"));
    }

    private void frame(ChannelHandlerContext ctx, WebSocketFrame f) {
        if (f instanceof CloseWebSocketFrame) {
            ctx.writeAndFlush(new CloseWebSocketFrame()).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (f instanceof PingWebSocketFrame) {
            ctx.writeAndFlush(new PongWebSocketFrame(f.content().retain()));
            return;
        }
        if (!(f instanceof TextWebSocketFrame t) || !socketIo || connected) return;
        String text = t.text();
        if (!text.startsWith("40")) return;
        String token = null;
        try {
            JsonNode auth = JSON.readTree(text.substring(2));
            if (auth != null) token = auth.path("token").asText(null);
        } catch (Exception e) {
            token = null;
        }
        Jwt.User u = server.jwt.verify(token);
        if (u == null) {
            ctx.writeAndFlush(new TextWebSocketFrame("44{\"message\":\"invalid token\",\"data\":{\"code\":\"INVALID_TOKEN\"}}"));
            return;
        }
        ready(ctx.channel(), u);
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String json) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        var f = ctx.writeAndFlush(NotificationLane.response(status, json, keepAlive));
        if (!keepAlive) f.addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
