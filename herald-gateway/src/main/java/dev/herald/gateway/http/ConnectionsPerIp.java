package dev.herald.gateway.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Caps the open connections of one remote address, so a single client cannot hold the node's file
 * descriptors. The connection over the cap is answered 429 {@code CONNECTION_LIMIT_REACHED} and
 * closed before anything else reads it. Behind a reverse proxy every client has the proxy's
 * address: raise the cap or turn it off there. One instance is shared by all connections;
 * thread-safe. Goes first in the pipeline (it writes bytes, not HTTP objects).
 */
@ChannelHandler.Sharable
public final class ConnectionsPerIp extends ChannelInboundHandlerAdapter {
    private static final AttributeKey<InetAddress> COUNTED = AttributeKey.valueOf("herald.counted-address");
    private static final byte[] REFUSAL;

    static {
        String body = "{\"error\":{\"code\":\"CONNECTION_LIMIT_REACHED\",\"message\":\"too many connections from this address\"}}";
        REFUSAL = ("HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);
    }

    private final int max;
    private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();

    public ConnectionsPerIp(int max) {
        this.max = max;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (!(ctx.channel().remoteAddress() instanceof InetSocketAddress remote)) {
            ctx.fireChannelActive();
            return;
        }
        InetAddress address = remote.getAddress();
        int now = open.merge(address, 1, Integer::sum);
        ctx.channel().attr(COUNTED).set(address);
        if (now > max) {
            ctx.channel().config().setAutoRead(false);
            ctx.writeAndFlush(Unpooled.wrappedBuffer(REFUSAL)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        InetAddress address = ctx.channel().attr(COUNTED).getAndSet(null);
        if (address != null) open.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
        ctx.fireChannelInactive();
    }

    /** Open connections counted for one address (for tests and metrics). */
    public int openFrom(InetAddress address) {
        return open.getOrDefault(address, 0);
    }
}
