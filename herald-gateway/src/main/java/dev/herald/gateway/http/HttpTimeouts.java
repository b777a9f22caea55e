package dev.herald.gateway.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The client's deadlines on a plain HTTP connection, one timer at a time:
 * <ul>
 *   <li>header: a whole request head within {@code header} of connecting, or of the first byte
 *       after an answer (a deadline, not an inactivity timer: trickling a byte at a time does not
 *       extend it);</li>
 *   <li>body: the whole body within {@code body} of its head;</li>
 *   <li>idle: a keep-alive connection owing nothing and owed nothing is closed after {@code idle}.</li>
 * </ul>
 * While the server owes the answer there is no timer: a held long-poll or a slow REST call is the
 * server's time, not the client's. A late head or body is answered 408 before the close; a silent
 * connection is just closed. Sits after {@link InOrderResponses}, so it sees one request at a
 * time; leaves the pipeline when the connection becomes a WebSocket. Event-loop only.
 */
public final class HttpTimeouts extends ChannelDuplexHandler {
    private enum State { AWAITING_HEAD, IDLE, READING_BODY, SERVING }

    private final long headerNanos;
    private final long bodyNanos;
    private final long idleNanos;
    private State state = State.AWAITING_HEAD;
    private boolean started;
    private boolean headBegun;
    private ScheduledFuture<?> timer;

    public HttpTimeouts(Duration header, Duration body, Duration idle) {
        this.headerNanos = header.toNanos();
        this.bodyNanos = body.toNanos();
        this.idleNanos = idle.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) begin(ctx);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        begin(ctx);
        ctx.fireChannelActive();
    }

    private void begin(ChannelHandlerContext ctx) {
        if (started) return;
        started = true;
        enter(ctx, State.AWAITING_HEAD);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            enter(ctx, msg instanceof LastHttpContent ? State.SERVING : State.READING_BODY);
        } else if (msg instanceof LastHttpContent && state == State.READING_BODY) {
            enter(ctx, State.SERVING);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // Bytes arrived with nothing in progress: a new request has begun, and the head deadline runs.
        if (state == State.IDLE) enter(ctx, State.AWAITING_HEAD);
        headBegun = state == State.AWAITING_HEAD;
        ctx.fireChannelReadComplete();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        boolean upgrade = msg instanceof HttpResponse r && r.status().code() == 101;
        boolean answered = !upgrade && msg instanceof LastHttpContent
                && !(msg instanceof HttpResponse r && r.status().codeClass() == HttpStatusClass.INFORMATIONAL);
        ctx.write(msg, promise);
        if (upgrade) {
            ctx.pipeline().remove(this);
        } else if (answered && state == State.SERVING) {
            enter(ctx, State.IDLE);
        }
    }

    private void enter(ChannelHandlerContext ctx, State next) {
        if (timer != null) timer.cancel(false);
        timer = null;
        if (next == State.AWAITING_HEAD && state != State.AWAITING_HEAD) headBegun = false;
        state = next;
        long nanos = switch (next) {
            case AWAITING_HEAD -> headerNanos;
            case READING_BODY -> bodyNanos;
            case IDLE -> idleNanos;
            case SERVING -> 0;
        };
        if (nanos > 0) timer = ctx.executor().schedule(() -> expire(ctx, next), nanos, TimeUnit.NANOSECONDS);
    }

    private void expire(ChannelHandlerContext ctx, State expired) {
        if (state != expired || !ctx.channel().isActive()) return;
        boolean owesBytes = expired == State.READING_BODY || expired == State.AWAITING_HEAD && headBegun;
        if (!owesBytes) {
            ctx.close();
            return;
        }
        HttpReplies.error(ctx, 408, "INVALID_ARGUMENT",
                "the request " + (expired == State.READING_BODY ? "body" : "head") + " took too long to arrive", false);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    private void cancel() {
        if (timer != null) timer.cancel(false);
        timer = null;
    }
}
