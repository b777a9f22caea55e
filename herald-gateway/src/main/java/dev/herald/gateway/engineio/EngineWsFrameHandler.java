package dev.herald.gateway.engineio;

import dev.herald.gateway.StrictUtf8;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/** Hands the frames of one Engine.IO WebSocket (or upgrade probe) to its session's loop. */
final class EngineWsFrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    private final EngineSocket socket;
    private final boolean probe;
    private boolean failed;

    /** @param probe true for the WebSocket of a polling session's upgrade */
    EngineWsFrameHandler(EngineSocket socket, boolean probe) {
        this.socket = socket;
        this.probe = probe;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        var ch = ctx.channel();
        switch (frame) {
            case TextWebSocketFrame t -> {
                String text = StrictUtf8.decode(t.content());
                if (text == null) {
                    failed = true;
                    ctx.writeAndFlush(new CloseWebSocketFrame(StrictUtf8.INVALID_PAYLOAD, "invalid UTF-8"))
                            .addListener(ChannelFutureListener.CLOSE);
                    return;
                }
                if (probe && "2probe".equals(text)) {
                    // Answered here, before hopping to the session's loop, so it cannot trail the answers
                    // to requests the client sends after it on other connections.
                    ctx.writeAndFlush(new TextWebSocketFrame("3probe"));
                }
                socket.enqueueTask(() -> socket.onWsText(ch, text));
            }
            case BinaryWebSocketFrame b -> {
                byte[] data = ByteBufUtil.getBytes(b.content());
                socket.enqueueTask(() -> socket.onWsBinary(ch, data));
            }
            case PingWebSocketFrame p -> ctx.writeAndFlush(new PongWebSocketFrame(p.content().retain()));
            case CloseWebSocketFrame c -> ctx.close();
            default -> { }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        var ch = ctx.channel();
        boolean f = failed;
        socket.enqueueTask(() -> socket.onWsClosed(ch, f));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failed = true;
        // Oversized or corrupt frame: Netty's decoder is already sending 1009 / 1002 and closes after it.
        if (cause instanceof TooLongFrameException) {
            // A fragmented message over maxPayload, caught by the aggregator: say so like the decoder does.
            ctx.writeAndFlush(new CloseWebSocketFrame(1009, "message too big")).addListener(ChannelFutureListener.CLOSE);
        } else if (!(cause instanceof CorruptedWebSocketFrameException)) {
            ctx.close();
        }
    }
}
