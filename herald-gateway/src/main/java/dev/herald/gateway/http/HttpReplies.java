package dev.herald.gateway.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Writes complete HTTP answers; safe from any thread (Netty hops to the channel's loop). */
public final class HttpReplies {
    public static final String TEXT = "text/plain; charset=UTF-8";
    public static final String JSON = "application/json";

    private HttpReplies() {
    }

    public static ChannelFuture send(ChannelHandlerContext ctx, int status, String contentType, byte[] body, boolean keepAlive) {
        return send(ctx, status, contentType, body, keepAlive, Map.of());
    }

    public static ChannelFuture send(ChannelHandlerContext ctx, int status, String contentType, byte[] body, boolean keepAlive,
                            Map<String, String> headers) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.wrappedBuffer(body));
        if (contentType != null) res.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        headers.forEach((k, v) -> res.headers().set(k, v));
        HttpUtil.setContentLength(res, body.length);
        if (keepAlive) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            return ctx.writeAndFlush(res);
        }
        res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }

    public static ChannelFuture text(ChannelHandlerContext ctx, int status, String body, boolean keepAlive) {
        return send(ctx, status, TEXT, body.getBytes(StandardCharsets.UTF_8), keepAlive);
    }

    /** Herald's REST error shape: {"error":{"code":…,"message":…}}. */
    public static ChannelFuture error(ChannelHandlerContext ctx, int status, String code, String message, boolean keepAlive) {
        String json = "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + jsonEscape(message) + "\"}}";
        return send(ctx, status, JSON, json.getBytes(StandardCharsets.UTF_8), keepAlive);
    }

    public static String jsonEscape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.toString();
    }
}
