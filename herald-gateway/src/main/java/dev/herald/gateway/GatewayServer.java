package dev.herald.gateway;

import dev.herald.core.auth.Authenticator;
import dev.herald.core.deliver.live.DisconnectReason;
import dev.herald.core.deliver.live.SessionHandler;
import dev.herald.core.http.HttpService;
import dev.herald.gateway.engineio.EngineIoServer;
import dev.herald.gateway.engineio.EngineListener;
import dev.herald.gateway.http.CappedAggregator;
import dev.herald.gateway.http.Cors;
import dev.herald.gateway.http.RequestHead;
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
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client port: one Netty server for Socket.IO (Engine.IO at {@code config.path()}), plain
 * WebSocket at {@code /ws}, and every other HTTP request handed to the {@link HttpService}s.
 * Namespace "/" and {@code config.namespaces()} are bridged to the {@link SessionHandler}.
 */
public final class GatewayServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);
    private final GatewayConfig config;
    private final GatewayMetrics metrics;
    private final SessionRegistry sessions = new SessionRegistry();
    private final SocketIoServer socketIo;
    private final Map<String, EngineIoServer> engines = new LinkedHashMap<>();
    private final PlainWsGateway plainWs;
    private final List<HttpService> services;
    private final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
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
        for (String nsp : config.namespaces()) socketIo.namespace(nsp, bridge(nsp, authenticator, handler, clock));
        engines.put(config.path(), new EngineIoServer(config, socketIo, metrics));
        this.plainWs = new PlainWsGateway(config, authenticator, handler, sessions, metrics, clock);
    }

    public GatewayServer(GatewayConfig config, Authenticator authenticator, SessionHandler handler,
                         List<HttpService> services, Clock clock) {
        this(config, authenticator, handler, services, clock, null);
    }

    private HeraldNamespace bridge(String nsp, Authenticator authenticator, SessionHandler handler, Clock clock) {
        return new HeraldNamespace(nsp, authenticator, handler, sessions, metrics, clock,
                config.eventsPerSecond(), config.eventBurst());
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

    /** Binds the port (0 picks a free one) and starts serving. */
    public synchronized GatewayServer start() throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        bossGroup = new MultiThreadIoEventLoopGroup(1, io);
        workerGroup = new MultiThreadIoEventLoopGroup(0, io);
        Map<String, Router.Endpoint> endpoints = new LinkedHashMap<>();
        engines.forEach((path, server) -> endpoints.put(path, Router.engine(server)));
        ServerBootstrap b = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // The high-water mark is the per-connection outbound bound: past it a client is a slow consumer.
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(config.outboundBufferBytes() / 2, config.outboundBufferBytes()))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        channels.add(ch);
                        ch.pipeline()
                                .addLast(RequestHead.codec())
                                .addLast(new CappedAggregator(config.maxPayloadBytes()))
                                .addLast(new Cors(config.allowedOrigins()))
                                .addLast(new Router(endpoints, plainWs::handle, services, blocking));
                    }
                });
        serverChannel = b.bind(new InetSocketAddress(config.host(), config.port())).sync().channel();
        // Which transport runs matters when reading benchmarks: -Dio.netty.transport.noNative=true forces NIO.
        log.info("gateway listening on {}:{} ({})", config.host(), port(), epoll ? "epoll" : "NIO");
        return this;
    }

    /** The bound port (useful after binding port 0). */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /**
     * Stops accepting, closes every session with {@link DisconnectReason#SERVER_SHUTDOWN} (clients are
     * told), waits up to {@code timeout} for the handler's closed calls, then closes everything.
     */
    public synchronized void shutdown(Duration timeout) {
        if (serverChannel == null) return;
        serverChannel.close().awaitUninterruptibly();
        sessions.closeAll(DisconnectReason.SERVER_SHUTDOWN);
        for (EngineIoServer e : engines.values()) e.closeAll(DisconnectReason.SERVER_SHUTDOWN);
        try {
            sessions.awaitEmpty(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        channels.close().awaitUninterruptibly(timeout.toMillis(), TimeUnit.MILLISECONDS);
        bossGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        workerGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(timeout.toMillis() + 2000);
        blocking.shutdown();
        serverChannel = null;
    }

    @Override
    public void close() {
        shutdown(Duration.ofSeconds(5));
    }
}
