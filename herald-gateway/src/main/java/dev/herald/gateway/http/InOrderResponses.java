package dev.herald.gateway.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * HTTP/1.1 pipelining (RFC 9112 §9.3.2): answers must leave in the order requests came, but REST
 * answers are written by whichever virtual thread finishes first. So requests go up the pipeline
 * one at a time: the next one (head and body) waits here until the answer to the one before is
 * written. Waiting requests stop the reading, so what waits is what one read brought.
 *
 * <p>A request arriving while {@code maxPipelined} already await answers is refused, in its turn,
 * with 429 {@code RATE_LIMITED} and {@code Connection: close}; what came after it is dropped
 * unanswered, which tells an HTTP/1.1 client to send it again on a new connection.
 *
 * <p>Sits right after the codec; leaves the pipeline when the connection becomes a WebSocket.
 * Event-loop only.
 */
public final class InOrderResponses extends ChannelDuplexHandler {
    /** Stands in the queue for the refused request. */
    private static final Object REFUSAL = new Object();

    private final int maxPipelined;
    private final ArrayDeque<Object> waiting = new ArrayDeque<>();
    private int waitingRequests;
    private boolean inFlight;
    private boolean refused;

    public InOrderResponses(int maxPipelined) {
        this.maxPipelined = maxPipelined;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpObject)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest) {
            if (!inFlight && waiting.isEmpty()) {
                inFlight = true;
                ctx.fireChannelRead(msg);
                return;
            }
            if (1 + waitingRequests >= maxPipelined) {
                refused = true;
                ReferenceCountUtil.release(msg);
                waiting.add(REFUSAL);
                return;
            }
            waitingRequests++;
            waiting.add(msg);
            ctx.channel().config().setAutoRead(false);
            return;
        }
        // A body part belongs to the last request read: the one in flight when nothing waits.
        if (waiting.isEmpty()) ctx.fireChannelRead(msg);
        else waiting.add(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        boolean upgrade = msg instanceof HttpResponse r && r.status().code() == 101;
        boolean answered = !upgrade && msg instanceof LastHttpContent
                && !(msg instanceof HttpResponse r && r.status().codeClass() == HttpStatusClass.INFORMATIONAL);
        ctx.write(msg, promise);
        if (upgrade) {
            ctx.pipeline().remove(this); // WebSocket frames from here on
        } else if (answered) {
            inFlight = false;
            // Not from inside write(): the next request's handling may write again.
            ctx.executor().execute(() -> next(ctx));
        }
    }

    private void next(ChannelHandlerContext ctx) {
        if (inFlight || waiting.isEmpty() || ctx.isRemoved()) return;
        Object head = waiting.poll();
        if (head == REFUSAL) {
            refuse(ctx);
            return;
        }
        waitingRequests--;
        inFlight = true;
        ctx.fireChannelRead(head);
        while (!waiting.isEmpty() && !(waiting.peek() instanceof HttpRequest) && waiting.peek() != REFUSAL) {
            ctx.fireChannelRead(waiting.poll());
        }
        ctx.fireChannelReadComplete();
        if (waiting.isEmpty() && !refused) {
            ctx.channel().config().setAutoRead(true);
            ctx.read();
        }
    }

    private void refuse(ChannelHandlerContext ctx) {
        HttpReplies.error(ctx, 429, "RATE_LIMITED", "more than " + maxPipelined
                + " pipelined requests on one connection; send the rest on a new connection", false);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseWaiting();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseWaiting();
    }

    private void releaseWaiting() {
        for (Object o; (o = waiting.poll()) != null; ) ReferenceCountUtil.release(o);
        waitingRequests = 0;
    }
}
