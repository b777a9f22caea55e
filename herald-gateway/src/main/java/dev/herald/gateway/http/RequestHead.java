package dev.herald.gateway.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

/**
 * How large a request head (request line, headers) may be. Netty's defaults (4 KB line, 8 KB
 * headers) refused a large but valid token in {@code ?token=} or {@code Authorization} before
 * Herald saw it: the client got a bare 400 ("websocket error"). The limit is set above the
 * authenticator's own token limit (16 KB), so a token up to there is judged by the authenticator
 * with its usual coded answer, and a head beyond this is refused with 414 or 431 and
 * {@code INVALID_TOKEN}: on Herald's surfaces a credential is the only thing that grows a head.
 */
public final class RequestHead {
    public static final int MAX_BYTES = 32 * 1024;

    private RequestHead() {
    }

    /** The HTTP codec of the client port, with this head limit. */
    public static HttpServerCodec codec() {
        return new HttpServerCodec(new HttpDecoderConfig().setMaxInitialLineLength(MAX_BYTES).setMaxHeaderSize(MAX_BYTES));
    }

    /** Answers a head the decoder refused for its size and returns true; false for any other failure. */
    static boolean refuseOversized(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            HttpReplies.error(ctx, 414, "INVALID_TOKEN", "the request line is over " + MAX_BYTES
                    + " bytes; a token in ?token= must be far smaller (send it in the Socket.IO auth payload)", false);
            return true;
        }
        if (cause instanceof TooLongHttpHeaderException) {
            HttpReplies.error(ctx, 431, "INVALID_TOKEN", "the request headers are over " + MAX_BYTES
                    + " bytes; a token in Authorization must be far smaller", false);
            return true;
        }
        return false;
    }
}
