package dev.herald.bench.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;

/**
 * The client end of one connection: completes the protocol's authentication, answers Engine.IO
 * pings, and counts the frames that carry the bench event. Frames are classified on their bytes
 * (the event name near the start, then the {@code "ts":} stamp) so that the generator stays cheap
 * at a million frames a second; only handshake frames are decoded to strings.
 */
final class BenchConnection extends SimpleChannelInboundHandler<WebSocketFrame> {
    /** Told once per connection, on its event loop. */
    interface Listener {
        void authenticated(BenchConnection c);

        void failed(BenchConnection c, String reason);

        void closed(BenchConnection c, boolean wasAuthenticated);
    }

    private static final ByteBuf PONG = Unpooled.unreleasableBuffer(Unpooled.copiedBuffer("3", StandardCharsets.US_ASCII));
    /** The event name must appear within this many bytes: {@code 42/nsp,["bench"} or {@code {"event":"bench"}. */
    private static final int MARKER_WINDOW = 64;

    private final Protocol protocol;
    private final String token;
    private final ByteBuf marker;
    private final ClientStats stats;
    private final Listener listener;
    private boolean authenticated;
    private boolean settled;
    ChannelHandlerContext ctx;

    BenchConnection(Protocol protocol, String token, ByteBuf marker, ClientStats stats, Listener listener) {
        this.protocol = protocol;
        this.token = token;
        this.marker = marker;
        this.stats = stats;
        this.listener = listener;
    }

    void close() {
        if (ctx != null) ctx.close();
    }

    boolean isAuthenticated() {
        return authenticated;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) fail("websocket handshake timeout");
        super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (!(frame instanceof TextWebSocketFrame)) return;
        ByteBuf c = frame.content();
        if (protocol == Protocol.SOCKETIO && c.readableBytes() == 1 && c.getByte(c.readerIndex()) == '2') {
            ctx.writeAndFlush(new TextWebSocketFrame(PONG.duplicate()), ctx.voidPromise());
            return;
        }
        if (!authenticated) {
            handshakeFrame(ctx, c.toString(StandardCharsets.UTF_8));
            return;
        }
        if (!isBenchEvent(c)) return;
        long now = System.nanoTime();
        stats.received.increment();
        ClientStats.min(stats.firstReceiveNanos, now);
        ClientStats.max(stats.lastReceiveNanos, now);
        long ts = Frames.stamp(c);
        if (ts > 0) stats.latencyMicros.recordValue(Math.min(60_000_000L, Math.max(0, (now - ts) / 1000)));
    }

    private void handshakeFrame(ChannelHandlerContext ctx, String text) {
        if (protocol == Protocol.SOCKETIO) {
            if (text.startsWith("0")) {
                ctx.writeAndFlush(new TextWebSocketFrame("40{\"token\":\"" + token + "\"}"), ctx.voidPromise());
            } else if (text.startsWith("40")) {
                succeed();
            } else if (text.startsWith("44")) {
                fail("connect_error " + errorCode(text));
            }
        } else if (text.contains("\"connection_ready\"")) {
            succeed();
        } else if (text.contains("\"error\"")) {
            fail("error " + errorCode(text));
        }
    }

    private static String errorCode(String text) {
        int i = text.indexOf("\"code\":\"");
        if (i < 0) return "";
        int j = text.indexOf('"', i + 8);
        return j < 0 ? "" : text.substring(i + 8, j);
    }

    private boolean isBenchEvent(ByteBuf c) {
        return Frames.hasMarker(c, marker, MARKER_WINDOW);
    }

    private void succeed() {
        if (settled) return;
        settled = true;
        authenticated = true;
        stats.authenticated.increment();
        stats.open.increment();
        ClientStats.max(stats.lastAuthNanos, System.nanoTime());
        listener.authenticated(this);
    }

    void fail(String reason) {
        if (settled) return;
        settled = true;
        stats.failure(reason);
        listener.failed(this, reason);
        if (ctx != null) ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!settled) fail("closed before authentication");
        if (authenticated) stats.open.decrement();
        listener.closed(this, authenticated);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause.getClass().getSimpleName());
        ctx.close();
    }
}
