package dev.herald.gateway.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Aggregates request bodies up to maxPayload. An oversized request is answered 413 by Netty; before
 * that, the Router hears an {@link Oversized} event so the Engine.IO session that sent it is closed
 * (engine.io closes on maxHttpBufferSize too).
 */
public final class CappedAggregator extends HttpObjectAggregator {
    /** The request line of a body that was too large. */
    public record Oversized(String uri) {
    }

    public CappedAggregator(int maxContentLength) {
        super(maxContentLength);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
        if (oversized instanceof HttpRequest req) ctx.fireUserEventTriggered(new Oversized(req.uri()));
        super.handleOversizedMessage(ctx, oversized);
    }
}
