package dev.herald.gateway;

import dev.herald.core.deliver.live.OutboundEvent;
import io.netty.buffer.ByteBuf;

/**
 * A session that can be written a WebSocket frame encoded once for every member of a room:
 * {@link NettyFanOut} encodes one frame per message and {@link #frameKey}, then hands each member
 * a look at it. Threading: {@link #frameKey} and {@link #framePayload} from any thread;
 * {@link #sendFrame} on the session's {@link #eventLoop} only.
 */
public interface SharesFrames extends LoopBound {
    /** Sessions with equal keys send byte-identical text frames for the same event (one per namespace, one for /ws). */
    Object frameKey();

    /** The UTF-8 payload of the text frame this session sends for the event. */
    byte[] framePayload(OutboundEvent event);

    /**
     * Sends the event as {@link dev.herald.core.deliver.live.Session#send} would, writing
     * {@code frame} (a whole server text frame of {@link #framePayload}; the caller keeps its
     * reference, the session takes a retained duplicate) when its channel takes plain frames, and
     * the session's own encoding otherwise (polling, an extension, a backlog of its own).
     *
     * @return the write of the shared frame, which completes once the bytes reached the kernel (or
     *     failed, or the channel closed); null when the session sent it its own way or not at all
     */
    io.netty.channel.ChannelFuture sendFrame(OutboundEvent event, ByteBuf frame);
}
