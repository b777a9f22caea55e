package dev.herald.gateway.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Aggregates request bodies up to maxPayload. An oversized request is answered 413 by Netty; before
 * that, the Router hears an {@link Oversized} event so the Engine.IO session that sent it can answer
 * through its pending poll (a CONNECT_ERROR for an oversized CONNECT) and close (engine.io closes on
 * maxHttpBufferSize too). The 413 waits until that answer is written, at most {@link #ANSWER_WAIT}:
 * the two answers travel on two connections, and a client that saw the failed upload first would
 * never read the reason.
 */
public final class CappedAggregator extends HttpObjectAggregator {
    static final Duration ANSWER_WAIT = Duration.ofSeconds(1);

    /**
     * The request line of a body that was too large; complete {@code answered} once whatever the
     * sender should read first has been written (at once when there is nothing to say).
     */
    public record Oversized(String uri, CompletableFuture<Void> answered) {
    }

    public CappedAggregator(int maxContentLength) {
        super(maxContentLength);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
        if (!(oversized instanceof HttpRequest req)) {
            super.handleOversizedMessage(ctx, oversized);
            return;
        }
        CompletableFuture<Void> answered = new CompletableFuture<>();
        ScheduledFuture<?> fallback = ctx.executor().schedule(() -> answered.complete(null),
                ANSWER_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        answered.whenComplete((ok, error) -> ctx.executor().execute(() -> {
            fallback.cancel(false);
            try {
                super.handleOversizedMessage(ctx, oversized);
            } catch (Exception e) {
                ctx.fireExceptionCaught(e);
            }
        }));
        ctx.fireUserEventTriggered(new Oversized(req.uri(), answered));
    }
}
