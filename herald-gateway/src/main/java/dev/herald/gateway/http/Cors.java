package dev.herald.gateway.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;

/**
 * CORS for every HTTP answer on the port (polling needs it in browsers); preflight OPTIONS requests
 * are answered here. When every origin is allowed ({@code allowedOrigins} empty or holding "*") the
 * answer is {@code Access-Control-Allow-Origin: *} without credentials: echoing any origin with
 * credentials would let every site on the web make calls with the user's cookies. A listed origin
 * is echoed with credentials allowed. WebSocket frames pass through untouched.
 */
public final class Cors extends ChannelDuplexHandler {
    private final List<String> allowedOrigins;
    private String origin;

    public Cors(List<String> allowedOrigins) {
        this.allowedOrigins = allowedOrigins;
    }

    public static boolean allows(List<String> allowedOrigins, String origin) {
        return origin == null || allowsAny(allowedOrigins) || allowedOrigins.contains(origin);
    }

    private static boolean allowsAny(List<String> allowedOrigins) {
        return allowedOrigins.isEmpty() || allowedOrigins.contains("*");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest req) {
            origin = req.headers().get(HttpHeaderNames.ORIGIN);
            if (req.method().equals(HttpMethod.OPTIONS) && req.headers().contains(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD)) {
                boolean keepAlive = HttpUtil.isKeepAlive(req);
                String requested = req.headers().get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS);
                req.release();
                var res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT, Unpooled.EMPTY_BUFFER);
                res.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET, POST, PUT, PATCH, DELETE, OPTIONS");
                if (requested != null) res.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, requested);
                res.headers().set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "86400");
                HttpUtil.setContentLength(res, 0);
                HttpUtil.setKeepAlive(res, keepAlive);
                decorate(res); // written from here, so this handler's write() does not see it
                ctx.writeAndFlush(res);
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse res && res.status().code() != 101) decorate(res);
        ctx.write(msg, promise);
    }

    private void decorate(HttpResponse res) {
        if (origin == null || !allows(allowedOrigins, origin)) return;
        HttpHeaders h = res.headers();
        if (allowsAny(allowedOrigins)) {
            h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
            return;
        }
        h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        h.add(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN);
    }
}
