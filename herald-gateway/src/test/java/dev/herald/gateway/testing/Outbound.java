package dev.herald.gateway.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

/** What an EmbeddedChannel wrote, read off as bytes. */
public final class Outbound {
    private Outbound() {
    }

    /** Every outbound ByteBuf written so far, concatenated in order, each released once read. */
    public static byte[] drained(EmbeddedChannel ch) {
        ByteBuf all = Unpooled.buffer();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) o;
            all.writeBytes(b);
            b.release();
        }
        return ByteBufUtil.getBytes(all);
    }
}
