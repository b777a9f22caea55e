package dev.herald.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;

/**
 * Server WebSocket text frames encoded once for many channels. A server's frames are unmasked
 * (RFC 6455 §5.1), so every member of a room is sent the same bytes: one direct buffer per message,
 * written to each channel as a retained duplicate, past the frame encoder (which passes a ByteBuf
 * through), instead of one frame object, one encoding and one heap-to-direct copy per member.
 */
public final class WsFrames {
    private WsFrames() {
    }

    /** One final text frame holding {@code payload}, as Netty's WebSocket08FrameEncoder writes it unmasked. */
    public static ByteBuf text(ByteBufAllocator alloc, byte[] payload) {
        int n = payload.length;
        int header = n <= 125 ? 2 : n <= 0xFFFF ? 4 : 10;
        ByteBuf frame = alloc.directBuffer(header + n);
        frame.writeByte(0x81); // FIN, text
        if (n <= 125) {
            frame.writeByte(n);
        } else if (n <= 0xFFFF) {
            frame.writeByte(126);
            frame.writeShort(n);
        } else {
            frame.writeByte(127);
            frame.writeLong(n);
        }
        frame.writeBytes(payload);
        return frame;
    }

    /**
     * True when the channel's frames go out as plain RFC 6455 frames: a version 7+ encoder and no
     * extension (permessage-deflate would compress them, so a shared frame would skip it). The
     * gateway negotiates no extension today; this keeps a shared frame from bypassing one later.
     */
    public static boolean plain(Channel ch) {
        return ch.pipeline().get(WebSocket08FrameEncoder.class) != null && ch.pipeline().get(WebSocketExtensionEncoder.class) == null;
    }
}
