package dev.herald.bench.ceiling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/** The ceiling's one handler: REST publish routes, and the two WebSocket endpoints. */
final class CeilingHttpHandler extends SimpleChannelInboundHandler<Object> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OPEN = "0{\"sid\":\"%s\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}";

    private final CeilingServer server;
    private boolean socketIo;
    private boolean connected;

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
            respond(ctx, req, HttpResponseStatus.OK, "{\"status\":\"ok\"}");
            return;
        }
        List<String> parts = List.of(path.split("/"));
        // "", api, v1, realtime, rooms|users, {id}, events
        if (req.method() != HttpMethod.POST || parts.size() != 7 || !parts.get(3).equals("realtime")
                || !parts.get(6).equals("events")) {
            respond(ctx, req, HttpResponseStatus.NOT_FOUND, "{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"no such route\"}}");
            return;
        }
        String auth = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (!server.apiKey.isEmpty() && !("Bearer " + server.apiKey).equals(auth)) {
            respond(ctx, req, HttpResponseStatus.UNAUTHORIZED, "{\"error\":{\"code\":\"UNAUTHENTICATED\",\"message\":\"bad API key\"}}");
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
            respond(ctx, req, HttpResponseStatus.BAD_REQUEST, "{\"error\":{\"code\":\"VALIDATION_ERROR\",\"message\":\"need eventType and payload\"}}");
            return;
        }
        int n = server.broadcast(room, body.get("eventType").asText(), body.path("payload").toString());
        respond(ctx, req, HttpResponseStatus.OK, "{\"ok\":true,\"delivered\":" + n + "}");
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
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(json, StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        if (keepAlive) r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        var f = ctx.writeAndFlush(r);
        if (!keepAlive) f.addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
