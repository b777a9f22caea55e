package dev.herald.gateway.engineio;

import dev.herald.gateway.StrictUtf8;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/** Hands the frames of one Engine.IO WebSocket (or upgrade probe) to its session's loop. */
final class EngineWsFrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    private static final int MESSAGE_TOO_BIG = 1009;
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
        var ch = ctx.channel();
        if (cause instanceof CorruptedWebSocketFrameException c && c.closeStatus().code() != MESSAGE_TOO_BIG) {
            // A corrupt frame: the decoder no longer closes by itself (see EngineIoServer), so close here.
            ctx.writeAndFlush(new CloseWebSocketFrame(c.closeStatus())).addListener(ChannelFutureListener.CLOSE);
        } else if (cause instanceof CorruptedWebSocketFrameException || cause instanceof TooLongFrameException) {
            // Over maxPayload, one frame (decoder) or fragmented (aggregator): the session may answer, then 1009.
            socket.enqueueTask(() -> socket.onWsOversized(ch, MESSAGE_TOO_BIG));
        } else {
            ctx.close();
        }
    }
}
