package dev.herald.bench.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * Byte-level classification of received frames: the generator must spend far less per frame than
 * the server under test, so it never decodes a delivery to a string or a JSON tree.
 */
public final class Frames {
    private static final ByteBuf TS = Unpooled.unreleasableBuffer(Unpooled.copiedBuffer("\"ts\":", StandardCharsets.US_ASCII));

    private Frames() {}

    /** True when {@code marker} occurs within the first {@code window} readable bytes. */
    public static boolean hasMarker(ByteBuf frame, ByteBuf marker, int window) {
        int w = Math.min(window, frame.readableBytes());
        return w >= marker.readableBytes() && ByteBufUtil.indexOf(marker, frame.slice(frame.readerIndex(), w)) >= 0;
    }

    /**
     * The digits after the first {@code "ts":}, or -1 when the frame carries no stamp. The stamp may
     * sit at any depth (a bench payload, or the {@code data} of a stored notification) and a space
     * may follow the colon, as PostgreSQL writes jsonb back.
     */
    public static long stamp(ByteBuf frame) {
        int at = ByteBufUtil.indexOf(TS, frame);
        if (at < 0) return -1;
        int i = at + TS.readableBytes();
        int end = frame.writerIndex();
        while (i < end && frame.getByte(i) == ' ') i++;
        long v = 0;
        boolean any = false;
        for (; i < end; i++) {
            byte b = frame.getByte(i);
            if (b < '0' || b > '9') break;
            v = v * 10 + (b - '0');
            any = true;
        }
        return any ? v : -1;
    }
}
