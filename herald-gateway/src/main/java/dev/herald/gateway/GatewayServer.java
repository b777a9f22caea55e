package dev.herald.gateway;

import dev.herald.core.auth.Authenticator;
import dev.herald.core.deliver.live.DisconnectReason;
import dev.herald.core.deliver.live.SessionHandler;
import dev.herald.core.http.HttpService;
import dev.herald.gateway.engineio.EngineIoServer;
import dev.herald.gateway.engineio.EngineListener;
import dev.herald.gateway.http.HttpDrain;
import dev.herald.gateway.http.Router;
import dev.herald.gateway.socketio.HeraldNamespace;
import dev.herald.gateway.socketio.SocketIoServer;
import dev.herald.gateway.ws.PlainWsGateway;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client port: one Netty server for Socket.IO (Engine.IO at {@code config.protocol().path()}), plain
 * WebSocket at {@code /ws}, and every other HTTP request handed to the {@link HttpService}s.
 * Namespace "/" and {@code config.protocol().namespaces()} are bridged to the {@link SessionHandler}.
 */
public final class GatewayServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);
    private final GatewayConfig config;
    private final GatewayMetrics metrics;
    private final SessionRegistry sessions = new SessionRegistry();
    private final HandshakeGate handshakes = new HandshakeGate();
    private volatile io.netty.handler.ssl.SslContext tls;
    private final SocketIoServer socketIo;
    private final Map<String, EngineIoServer> engines = new LinkedHashMap<>();
    private final PlainWsGateway plainWs;
    private final List<HttpService> services;
    private final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpDrain drain = new HttpDrain();
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private EventLoopGroup bossGroup;
    private EventLoopGroup workerGroup;
    private Channel serverChannel;

    public GatewayServer(GatewayConfig config, Authenticator authenticator, SessionHandler handler,
                         List<HttpService> services, Clock clock, MeterRegistry meterRegistry) {
        this.config = config;
        this.metrics = new GatewayMetrics(meterRegistry);
        this.services = List.copyOf(services);
        this.socketIo = new SocketIoServer(config);
        socketIo.namespace("/", bridge("/", authenticator, handler, clock));
        for (String nsp : config.protocol().namespaces()) socketIo.namespace(nsp, bridge(nsp, authenticator, handler, clock));
        engines.put(config.protocol().path(), new EngineIoServer(config, socketIo, metrics));
        this.plainWs = new PlainWsGateway(config, authenticator, handler, sessions, metrics, clock, handshakes);
    }

    public GatewayServer(GatewayConfig config, Authenticator authenticator, SessionHandler handler,
                         List<HttpService> services, Clock clock) {
        this(config, authenticator, handler, services, clock, null);
    }

    private HeraldNamespace bridge(String nsp, Authenticator authenticator, SessionHandler handler, Clock clock) {
        return new HeraldNamespace(nsp, authenticator, handler, sessions, metrics, clock,
                config.limits().eventsPerSecond(), config.limits().eventBurst(), handshakes);
    }

    /** Budgets session handshakes per client IP, checked before the token is verified; call before {@link #start()}. */
    public GatewayServer limitHandshakes(dev.herald.core.limit.RateLimiter limiter) {
        handshakes.limit(limiter);
        return this;
    }

    /**
     * Serves TLS only (wss://, https://) with this context; call before {@link #start()}. The
     * context is asked for an engine on every accepted connection, so one whose key material
     * reloads itself (a reloading key manager) gives new handshakes the new certificate.
     */
    public GatewayServer tls(io.netty.handler.ssl.SslContext context) {
        this.tls = context;
        return this;
    }

    /** The Socket.IO namespaces, to add or replace one before {@link #start()} (tests, conformance). */
    public SocketIoServer socketIo() {
        return socketIo;
    }

    /** Mounts another bare Engine.IO endpoint (the conformance suite's /engine.io/); before start. */
    public GatewayServer mountEngineIo(String path, EngineListener listener) {
        engines.put(path, new EngineIoServer(config, listener, metrics));
        return this;
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    /** Live Herald sessions (Socket.IO and /ws) on this node. */
    public SessionRegistry sessions() {
        return sessions;
    }

    /**
     * Binds the port (0 picks a free one), or takes over the inherited listening socket when the
     * config names one, and starts serving. An inherited socket needs the native epoll transport:
     * NIO cannot adopt a descriptor.
     */
    public synchronized GatewayServer start() throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        OptionalInt inherited = config.listen().inheritedSocket();
        if (inherited.isPresent() && !epoll) {
            throw new IllegalStateException("socket activation (LISTEN_FDS) needs Netty's native epoll transport, which is not available here: "
                    + Epoll.unavailabilityCause());
        }
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        bossGroup = new MultiThreadIoEventLoopGroup(1, io);
        workerGroup = new MultiThreadIoEventLoopGroup(0, io);
        Map<String, Router.Endpoint> endpoints = new LinkedHashMap<>();
        engines.forEach((path, server) -> endpoints.put(path, Router.engine(server)));
        ClientPipeline pipeline = new ClientPipeline(config, endpoints, plainWs::handle, services, blocking, drain, tls);
        ServerBootstrap b = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                // The kernel's most (net.core.somaxconn): after a restart every client reconnects within
                // a second or two, and a full accept queue drops their SYNs, which come back only after
                // TCP's 1 s, 3 s, 7 s retransmissions (bench/RESULTS.md, restart).
                .option(ChannelOption.SO_BACKLOG, NetUtil.SOMAXCONN)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // The high-water mark is the per-connection outbound bound: past it a client is a slow consumer.
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(config.limits().outboundBufferBytes() / 2, config.limits().outboundBufferBytes()))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        channels.add(ch);
                        pipeline.install(ch);
                    }
                });
        if (inherited.isPresent()) {
            // Already bound and listening (its backlog is the activator's); registering starts the accepts.
            int fd = inherited.getAsInt();
            io.netty.channel.ChannelFactory<ServerChannel> adopt = () -> new EpollServerSocketChannel(fd);
            serverChannel = b.channelFactory(adopt).register().sync().channel();
            log.info("gateway listening on the inherited socket {} (descriptor {}, epoll{})", serverChannel.localAddress(), fd,
                    tls == null ? "" : ", TLS");
            return this;
        }
        serverChannel = b.channel(channelType).bind(new InetSocketAddress(config.listen().host(), config.listen().port())).sync().channel();
        // Which transport runs matters when reading benchmarks: -Dio.netty.transport.noNative=true forces NIO.
        log.info("gateway listening on {}:{} ({}{})", config.listen().host(), port(), epoll ? "epoll" : "NIO", tls == null ? "" : ", TLS");
        return this;
    }

    /** The bound port (useful after binding port 0). */
    public int port() {
        return address().getPort();
    }

    /** Where the port listens: the bound address, or the inherited socket's. */
    public InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /**
     * Stops accepting and refuses (503) HTTP work that has not started; closes every session with
     * {@link DisconnectReason#SERVER_SHUTDOWN} (clients are told); waits for the services' requests
     * in flight to be answered and the handler's closed calls; then closes everything. All of it
     * within {@code timeout}.
     */
    public synchronized void shutdown(Duration timeout) {
        if (serverChannel == null) return;
        long deadline = System.nanoTime() + timeout.toNanos();
        drain.start();
        serverChannel.close().awaitUninterruptibly();
        sessions.closeAll(DisconnectReason.SERVER_SHUTDOWN);
        for (EngineIoServer e : engines.values()) e.closeAll(DisconnectReason.SERVER_SHUTDOWN);
        try {
            if (!drain.awaitIdle(left(deadline))) log.warn("shutdown: HTTP requests still in flight after {}", timeout);
            sessions.awaitEmpty(left(deadline));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        channels.close().awaitUninterruptibly(left(deadline).toMillis(), TimeUnit.MILLISECONDS);
        bossGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        workerGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(left(deadline).toMillis() + 2000);
        blocking.shutdown();
        serverChannel = null;
    }

    private static Duration left(long deadlineNanos) {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }

    @Override
    public void close() {
        shutdown(Duration.ofSeconds(5));
    }
}
