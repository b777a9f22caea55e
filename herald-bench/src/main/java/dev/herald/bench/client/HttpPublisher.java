package dev.herald.bench.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongFunction;

/**
 * POSTs JSON at a paced rate on a few keep-alive connections with pipelined requests (a bounded
 * window each), the way a busy backend would. What is posted is up to the caller: each
 * {@link Request} names its path and body ({@link #event} for the realtime routes; the pipeline
 * scenario posts notifications). Requests that cannot be issued because every window is full are
 * counted as {@code late}: the achieved rate is then the server's (or this publisher's) ceiling,
 * and the report says so. A 2xx answer counts as ok; a 503 OVERLOADED with Retry-After as refused.
 */
public final class HttpPublisher implements Publisher<HttpPublisher.Request> {
    /** One POST: its path and JSON body. */
    public record Request(String path, String body) {}

    private final String host;
    private final int port;
    private final String apiKey;
    private final EventLoopGroup group = Transports.group(1);
    private final List<Conn> conns = new ArrayList<>();
    private final int window;
    public final LongAdder issued = new LongAdder();
    public final LongAdder ok = new LongAdder();
    public final LongAdder failed = new LongAdder();
    public final LongAdder refused = new LongAdder();
    public final LongAdder late = new LongAdder();
    private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    private final org.HdrHistogram.ConcurrentHistogram answers = new org.HdrHistogram.ConcurrentHistogram(3);

    private final class Conn extends SimpleChannelInboundHandler<FullHttpResponse> {
        final AtomicInteger inFlight = new AtomicInteger();
        // HTTP/1.1 answers come in request order: the head is the issue time of the next answer.
        final java.util.Queue<Long> issuedAt = new java.util.concurrent.ConcurrentLinkedQueue<>();
        Channel channel;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse r) {
            inFlight.decrementAndGet();
            Long at = issuedAt.poll();
            if (at != null) answers.recordValue((System.nanoTime() - at) / 1_000);
            int code = r.status().code();
            if (code / 100 == 2) ok.increment();
            else if (code == 503 && r.headers().contains("Retry-After")
                    && r.content().toString(java.nio.charset.StandardCharsets.UTF_8).contains("\"OVERLOADED\"")) {
                refused.increment();
            } else {
                failed.increment();
                statuses.computeIfAbsent(code, c -> new LongAdder()).increment();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            int lost = inFlight.getAndSet(Integer.MAX_VALUE / 2);
            if (lost > 0 && lost < Integer.MAX_VALUE / 2) {
                // Status 0 in the report: the connection closed with these requests unanswered.
                failed.add(lost);
                statuses.computeIfAbsent(0, c -> new LongAdder()).add(lost);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    public HttpPublisher(String host, int port, String apiKey, int connections, int window) throws InterruptedException {
        this.host = host;
        this.port = port;
        this.apiKey = apiKey;
        this.window = window;
        Bootstrap b = new Bootstrap().group(group).channel(Transports.socket()).option(ChannelOption.TCP_NODELAY, true);
        for (int i = 0; i < connections; i++) {
            Conn c = new Conn();
            c.channel = b.clone().handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20), c);
                }
            }).connect(host, port).sync().channel();
            conns.add(c);
        }
    }

    /**
     * Issues {@code rate} requests a second for {@code seconds}, request {@code i} built by
     * {@code next} when it is issued; blocks until the last is issued, not answered.
     */
    @Override
    public void run(int rate, double seconds, LongFunction<Request> next) throws InterruptedException {
        long start = System.nanoTime();
        long total = (long) (rate * seconds);
        long n = 0;
        int rr = 0;
        while (n < total) {
            long elapsed = System.nanoTime() - start;
            long due = Math.min(total, (long) (elapsed / 1e9 * rate) + 1);
            boolean[] touched = new boolean[conns.size()];
            while (n < due) {
                Conn c = null;
                for (int k = 0; k < conns.size(); k++) {
                    Conn cand = conns.get((rr + k) % conns.size());
                    if (cand.inFlight.get() < window) {
                        c = cand;
                        rr = (rr + k + 1) % conns.size();
                        touched[conns.indexOf(c)] = true;
                        break;
                    }
                }
                if (c == null) {
                    // Every window is full: skip this one and say so rather than queue unboundedly.
                    late.increment();
                    n++;
                    continue;
                }
                c.inFlight.incrementAndGet();
                issued.increment();
                c.issuedAt.add(System.nanoTime());
                c.channel.write(request(next.apply(n)), c.channel.voidPromise());
                n++;
            }
            for (int k = 0; k < touched.length; k++) if (touched[k]) conns.get(k).channel.flush();
            // Issue in batches at most every millisecond: spinning for 50 µs gaps would burn a core
            // that the server under test needs on a small machine.
            long nextDue = start + (long) (n * 1e9 / rate);
            long wait = Math.max(1_000_000, nextDue - System.nanoTime());
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

    @Override
    public Map<String, Long> failedStatuses() {
        var m = new TreeMap<String, Long>();
        statuses.forEach((k, v) -> m.put(String.valueOf(k), v.sum()));
        return m;
    }

    @Override
    public org.HdrHistogram.Histogram answerLatency() {
        return answers;
    }

    @Override public long issued() { return issued.sum(); }
    @Override public long ok() { return ok.sum(); }
    @Override public long failed() { return failed.sum(); }
    @Override public long refused() { return refused.sum(); }
    @Override public long late() { return late.sum(); }

    private FullHttpRequest request(Request r) {
        byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
        var req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, r.path(), Unpooled.wrappedBuffer(body));
        req.headers().set(HttpHeaderNames.HOST, host + ":" + port)
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.AUTHORIZATION, "Bearer " + apiKey);
        return req;
    }

    /** A realtime event (Herald's {@code {eventType, payload}} body) carrying a {@link Publisher#stamp}. */
    public static Request event(String path, String eventType, long seq) {
        return new Request(path, "{\"eventType\":\"" + eventType + "\",\"payload\":" + Publisher.stamp(seq) + "}");
    }

    /** Room and user event paths, as Herald's REST API names them. */
    public static String roomPath(String room) {
        return "/api/v1/realtime/rooms/" + segment(room) + "/events";
    }

    public static String userPath(String userId) {
        return "/api/v1/realtime/users/" + segment(userId) + "/events";
    }

    /** Percent-encodes a path segment but keeps ':' (legal in a segment) so rooms read naturally. */
    private static String segment(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("%3A", ":").replace("+", "%20");
    }

    @Override
    public void close() {
        for (Conn c : conns) c.channel.close();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
