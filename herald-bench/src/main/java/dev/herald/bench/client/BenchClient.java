package dev.herald.bench.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens bench connections to one server (or the nodes of a cluster, by user) and keeps them: either {@link #hold} a fixed number open
 * (idle, fanout, unicast) or {@link #churn} connect-authenticate-close cycles (handshake). At most
 * {@code concurrency} handshakes are in flight at once, so the ramp measures the server, not a SYN
 * flood. Thread-safe; callbacks run on the Netty event loops.
 */
public final class BenchClient implements AutoCloseable {
    private final String host;
    private final java.util.function.IntUnaryOperator portOf;
    private final Protocol protocol;
    private final Tokens tokens;
    private final ByteBuf marker;
    private final ClientStats stats;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final Set<BenchConnection> live = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean stopping = new AtomicBoolean();

    /** @param portOf the port user {@code u} connects to (a cluster spreads users over its nodes) */
    public BenchClient(String host, java.util.function.IntUnaryOperator portOf, Protocol protocol, Tokens tokens, String event,
                       ClientStats stats, int threads) {
        this.host = host;
        this.portOf = portOf;
        this.protocol = protocol;
        this.tokens = tokens;
        this.marker = Unpooled.unreleasableBuffer(Unpooled.copiedBuffer("\"" + event + "\"", StandardCharsets.UTF_8));
        this.stats = stats;
        this.group = Transports.group(threads);
        this.bootstrap = new Bootstrap().group(group).channel(Transports.socket())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
    }

    public ClientStats stats() {
        return stats;
    }

    /** Opens users {@code first .. first+count-1} and keeps them open; returns at once. */
    public void hold(int first, int count, int concurrency) {
        AtomicInteger next = new AtomicInteger(first);
        int end = first + count;
        BenchConnection.Listener l = new BenchConnection.Listener() {
            @Override public void authenticated(BenchConnection c) { launchNext(); }
            @Override public void failed(BenchConnection c, String reason) { launchNext(); }
            @Override public void closed(BenchConnection c, boolean wasAuthenticated) {
                live.remove(c);
                if (wasAuthenticated && !stopping.get()) stats.dropped.increment();
            }
            private void launchNext() {
                int u = next.getAndIncrement();
                if (u < end && !stopping.get()) open(u, this);
            }
        };
        for (int i = 0; i < Math.min(concurrency, count); i++) open(next.getAndIncrement(), l);
    }

    /**
     * Keeps {@code concurrency} slots busy with connect, authenticate, close; user ids cycle over
     * {@code first .. first+users-1}. Runs until {@link #stop()}.
     */
    public void churn(int first, int users, int concurrency) {
        AtomicInteger n = new AtomicInteger();
        BenchConnection.Listener l = new BenchConnection.Listener() {
            @Override public void authenticated(BenchConnection c) { c.close(); }
            @Override public void failed(BenchConnection c, String reason) { }
            @Override public void closed(BenchConnection c, boolean wasAuthenticated) {
                live.remove(c);
                if (!stopping.get()) open(first + Math.floorMod(n.getAndIncrement(), users), this);
            }
        };
        for (int i = 0; i < concurrency; i++) open(first + Math.floorMod(n.getAndIncrement(), users), l);
    }

    private void open(int user, BenchConnection.Listener listener) {
        String token = tokens.mint(user);
        int port = portOf.applyAsInt(user);
        BenchConnection conn = new BenchConnection(protocol, token, marker, stats, listener);
        var config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(protocol.uri(host, port, token))
                .version(WebSocketVersion.V13)
                .customHeaders(EmptyHttpHeaders.INSTANCE)
                .maxFramePayloadLength(1 << 20)
                .handshakeTimeoutMillis(10_000)
                .build();
        long now = System.nanoTime();
        ClientStats.min(stats.firstAttemptNanos, now);
        stats.attempts.increment();
        live.add(conn);
        bootstrap.clone().remoteAddress(new InetSocketAddress(host, port)).handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 16),
                        new WebSocketClientProtocolHandler(config), conn);
            }
        }).connect().addListener(f -> {
            if (!f.isSuccess()) {
                conn.fail("connect " + f.cause().getClass().getSimpleName());
                live.remove(conn);
                listener.closed(conn, false);
            }
        });
    }

    /** Stops opening connections; existing ones stay open. */
    public void stop() {
        stopping.set(true);
    }

    @Override
    public void close() {
        stop();
        for (BenchConnection c : live) c.close();
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
