package dev.herald.server;

import dev.herald.api.auth.JwtAuthenticator;
import dev.herald.api.membership.HttpMembershipCheck;
import dev.herald.api.auth.ServiceAuth;
import dev.herald.api.grpc.GrpcConfig;
import dev.herald.api.grpc.GrpcServer;
import dev.herald.api.grpc.InboxGrpcService;
import dev.herald.api.grpc.RealtimeGrpcService;
import dev.herald.api.rest.NotificationsHttpService;
import dev.herald.api.rest.OpenApiHttpService;
import dev.herald.api.rest.RealtimeHttpService;
import dev.herald.api.rest.SettingsHttpService;
import dev.herald.api.rest.UserDataHttpService;
import dev.herald.api.rest.TestMessageHttpService;
import dev.herald.api.rest.UnsubscribeHttpService;
import dev.herald.api.rest.admin.AdminHttpService;
import dev.herald.api.rest.admin.IngestDeadLettersHttpService;
import dev.herald.broker.nats.NatsBroker;
import dev.herald.broker.nats.NatsConfig;
import dev.herald.broker.redis.RedisBroker;
import dev.herald.broker.redis.RedisConfig;
import dev.herald.broker.redis.RedisConnector;
import dev.herald.broker.redis.RedisPresenceRegistry;
import dev.herald.broker.redis.RedisRoomDirectory;
import dev.herald.broker.redis.ingest.RedisIngest;
import dev.herald.channels.webhook.WebhookConfig;
import dev.herald.core.HeraldException;
import dev.herald.core.auth.Authenticator;
import dev.herald.core.deliver.dispatch.ChannelSender;
import dev.herald.core.deliver.dispatch.DeliveryEvents;
import dev.herald.core.deliver.dispatch.DispatchConfig;
import dev.herald.core.deliver.dispatch.Dispatcher;
import dev.herald.core.deliver.dispatch.TestMessages;
import dev.herald.core.deliver.live.ClientLimits;
import dev.herald.core.deliver.live.HeraldSessionHandler;
import dev.herald.core.deliver.live.PresenceNotices;
import dev.herald.core.deliver.live.InboxEvents;
import dev.herald.core.deliver.live.LiveNotifier;
import dev.herald.core.deliver.live.OutageRecovery;
import dev.herald.core.deliver.live.OutboundEvent;
import dev.herald.core.deliver.live.PreferenceEvents;
import dev.herald.core.http.HttpService;
import dev.herald.core.inbox.InboxService;
import dev.herald.core.inbox.UserSettings;
import dev.herald.core.ingest.IngestDeadLetters;
import dev.herald.core.ingest.LiveEvents;
import dev.herald.core.memory.MemoryBroker;
import dev.herald.core.memory.MemoryPresenceRegistry;
import dev.herald.core.notification.Channel;
import dev.herald.core.notification.WebhookUrls;
import dev.herald.core.pipeline.NotificationPipeline;
import dev.herald.core.pipeline.PipelineConfig;
import dev.herald.core.route.Broker;
import dev.herald.core.route.Hub;
import dev.herald.core.route.PresenceRegistry;
import dev.herald.core.route.RoomRules;
import dev.herald.core.store.Storage;
import dev.herald.gateway.GatewayConfig;
import dev.herald.gateway.GatewayServer;
import dev.herald.server.config.DeliverySettings;
import dev.herald.server.config.HeraldConfig;
import dev.herald.server.config.Secret;
import dev.herald.server.ops.AuthFailureLog;
import dev.herald.server.ops.ConnectionLog;
import dev.herald.server.ops.HeraldMetrics;
import dev.herald.server.ops.MetricsEndpoint;
import dev.herald.server.ops.MetricsServer;
import dev.herald.server.ops.OpsEndpoints;
import dev.herald.server.ops.PipelineMetrics;
import dev.herald.server.security.SecurityWiring;
import dev.herald.server.web.WebAssets;
import dev.herald.store.InboxStores;
import dev.herald.store.StoreConfig;
import dev.herald.store.StoreHooks;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The one composition root: reads nothing itself, builds every part from {@link HeraldConfig} with
 * plain {@code new} calls, in the order data flows (cluster → hub → sessions → APIs → gateway), and
 * closes them in reverse.
 */
public final class Herald implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Herald.class);

    private final HeraldConfig config;
    private final Deque<AutoCloseable> closeOrder = new ArrayDeque<>();
    // Set while wiring; null when start failed before the part was built.
    private OpsEndpoints ops;
    /** This node's live fan-out backlog (tests hold it full to see the refusals). */
    private dev.herald.core.route.FanOutBacklog fanOutBacklog;
    private GatewayServer gateway;
    private GrpcServer grpc;
    private MetricsServer metricsServer;
    private boolean closed;

    private Herald(HeraldConfig config, Clock clock) throws InterruptedException {
        this.config = config;
        try {
            wire(config, clock);
        } catch (RuntimeException | InterruptedException e) {
            closeAll();
            throw e;
        }
    }

    private void wire(HeraldConfig config, Clock clock) throws InterruptedException {
        String nodeId = config.cluster().nodeId();
        HeraldMetrics metrics = new HeraldMetrics(nodeId);
        closeOrder.push(metrics);

        // Cluster: one node keeps rooms and presence in memory. REDIS_URL makes presence cluster-wide
        // and carries room messages over Redis pub/sub; NATS_URL carries room messages over NATS instead.
        RedisConnector redis = config.cluster().redisUrl().map(url -> RedisConnector.open(RedisConfig.fromUrl(url.value()))).orElse(null);
        if (redis != null) closeOrder.push(redis);
        RedisPresenceRegistry redisPresence = redis == null ? null : new RedisPresenceRegistry(redis, config.clustering().redisPrefix(),
                nodeId, clock, config.clustering().nodeTtl());
        if (redisPresence != null) closeOrder.push(redisPresence);
        PresenceRegistry presence = redisPresence != null ? redisPresence : new MemoryPresenceRegistry();
        Broker broker;
        io.nats.client.Connection nats = null;
        if (config.cluster().natsUrl().isPresent()) {
            nats = NatsConfig.fromUrl(config.cluster().natsUrl().get().value()).connect();
            closeOrder.push(nats::close);
            broker = new NatsBroker(nats, config.clustering().natsPrefix(), clock);
        } else {
            broker = redis != null ? new RedisBroker(redis, config.clustering().redisPrefix(), clock) : new MemoryBroker();
        }
        closeOrder.push(broker);
        // With Redis, every room's members are counted cluster-wide, not only user: and team: rooms.
        RedisRoomDirectory rooms = redis == null ? null : new RedisRoomDirectory(redis, config.clustering().redisPrefix(), nodeId);
        if (rooms != null) closeOrder.push(rooms);
        Hub hub = rooms == null ? new Hub(broker) : new Hub(broker, rooms);
        // Every frame to a local socket, whatever path brought it, is counted at the hub.
        hub.onEmit(metrics);
        // Fan-out runs on the gateway's event loops, bounded: past the bound a real-time call is refused, not queued.
        hub.fanOut(new dev.herald.gateway.NettyFanOut(new dev.herald.core.route.FanOutBacklog(config.data().realtime().maxFanOutBacklog())));
        metrics.fanOut(hub.backlog());
        this.fanOutBacklog = hub.backlog();
        metrics.rooms(hub::localRoomSizes);
        hub.start();

        // Clients: who they are, what they may do.
        Authenticator jwt = new JwtAuthenticator(Wiring.jwtConfig(config), clock);
        // Clients' refused tokens feed notifications_auth_failures_total; service callers are counted apart.
        // Every transport's refusals are logged at WARN with the client's IP (rate-limited, never the token).
        AuthFailureLog authLog = new AuthFailureLog(clock);
        Authenticator authenticator = token -> {
            try {
                return jwt.authenticate(token);
            } catch (HeraldException e) {
                metrics.refused(e.code());
                authLog.refused("client", MDC.get(Authenticator.CLIENT_IP_MDC), e.code().name());
                throw e;
            }
        };
        // MEMBERSHIP_URL: the owning service decides post:/dm: joins (fails closed); else the built-in rule.
        HttpMembershipCheck membership = config.data().membership().map(m -> new HttpMembershipCheck(m.url(),
                m.token().map(Secret::value), m.cacheFor(), m.timeout(), clock)).orElse(null);
        if (membership != null) closeOrder.push(membership);
        HeraldSessionHandler sessions = new HeraldSessionHandler(nodeId, hub, presence, new RoomRules(membership),
                new ClientLimits(config.limits().maxConnections(), config.limits().maxConnectionsPerUser(),
                        config.limits().presenceTeamLimit()), clock, new ConnectionLog(metrics));
        SecurityWiring security = new SecurityWiring(config.security(), clock, metrics.registry(), redis, closeOrder::push);
        security.sessions(sessions, authenticator);
        sessions.announcePresenceWith(new PresenceNotices(hub, config.limits().presenceNoticeWindow(), security.timer(),
                config.limits().presenceTeamLimit()));
        if (redisPresence != null) {
            // Heartbeats start once sessions exist: a lapsed heartbeat re-registers them.
            ScheduledExecutorService clusterTimer = ClusterWiring.start(redisPresence, sessions, hub);
            closeOrder.push(clusterTimer::shutdownNow);
        }

        // The durable inbox and the outbox: SQLite under HERALD_DATA_DIR, or PostgreSQL with DATABASE_URL.
        HeraldConfig.Storage st = config.storage();
        Storage storage = InboxStores.openStorage(new StoreConfig(st.dataDir(), st.databaseUrl().map(Secret::value).orElse(null),
                st.schema(), st.poolSize(), st.retentionDays()),
                StoreHooks.NONE.withPoolMetrics(new MicrometerMetricsTrackerFactory(metrics.registry()))
                        .withCipher(config.data().encryption()).withClock(clock));
        closeOrder.push(storage);
        LiveNotifier live = new LiveNotifier(hub, metrics);
        TemplateWiring templates = TemplateWiring.start(storage, config.templates(), clock);

        // Out-of-app channels: each configured one gets a sender; the dispatcher works the outbox.
        DeliverySettings delivery = config.delivery();
        ChannelWiring channelWiring = new ChannelWiring(config, clock, closeOrder);
        List<ChannelSender> senders = new ArrayList<>(channelWiring.senders());
        PushWiring.sender(config.push(), storage, clock, closeOrder).ifPresent(senders::add);
        DeliveryEvents callbacks = channelWiring.callbacks();
        // The gauges read the dispatcher's last look at the outbox; the dispatcher reports to the same meters.
        AtomicReference<Dispatcher> dispatching = new AtomicReference<>();
        PipelineMetrics pipelineMetrics = new PipelineMetrics(metrics,
                () -> dispatching.get() == null ? null : dispatching.get().stats());
        DispatchConfig dispatch = DispatchConfig.defaults().withRetry(delivery.retryPolicy());
        Dispatcher dispatcher = Dispatcher.builder().storage(storage).presence(presence).clock(clock).senders(senders)
                .events(callbacks).observer(pipelineMetrics).renderer(templates.renderer())
                .rateLimits(config.channels().rateLimits())
                .config(dispatch.withTimings(delivery.lease(), dispatch.poll())).build();
        dispatching.set(dispatcher);
        Set<Channel> channels = EnumSet.of(Channel.IN_APP);
        senders.forEach(sender -> channels.add(sender.channel()));
        NotificationPipeline pipeline = new NotificationPipeline(storage, live, clock,
                PipelineConfig.defaults().withRetentionDays(st.retentionDays()).withChannels(channels),
                pipelineMetrics, dispatcher::wake, templates.check());
        pipeline.start();
        closeOrder.push(pipeline);
        dispatcher.start();
        closeOrder.push(dispatcher);
        InboxService inbox = new InboxService(storage, live, callbacks, clock);
        new InboxEvents(inbox).registerOn(sessions);
        boolean httpWebhooks = delivery.webhook().map(WebhookConfig::allowHttpLoopback).orElse(false);
        UserSettings settings = new UserSettings(storage.preferences(), storage.contacts(),
                httpWebhooks ? WebhookUrls.allowingHttpLoopback() : WebhookUrls.httpsOnly(), clock);
        new PreferenceEvents(settings).registerOn(sessions);
        // After a broker outage, local sessions get what was stored meanwhile (the store blocks: virtual threads).
        new OutageRecovery(hub, sessions, inbox, task -> Thread.ofVirtual().name("herald-outage-recovery").start(task)).watch();

        // Server APIs for backend services.
        ServiceAuth serviceAuth = new ServiceAuth(jwt, config.auth().apiKeys().stream().map(s -> s.value()).toList());
        LiveEvents realtime = new LiveEvents(hub, presence, clock, config.data().realtime(), metrics);
        this.ops = new OpsEndpoints(clock, nodeId, sessions::localConnections);
        ops.check("store", () -> inbox.pending("readiness-probe", 1) != null);
        ops.broker(hub::brokerDownSince);
        // One instance: ingestion writes it and the admin route reads it (the memory one is per instance).
        IngestDeadLetters ingestDeadLetters = InboxStores.ingestDeadLetters(storage);
        List<HttpService> http = new ArrayList<>(List.of(ops, security.restLimits(), authLog.watching("rest", new RealtimeHttpService(realtime, serviceAuth)),
                authLog.watching("rest", new SettingsHttpService(settings, serviceAuth)),
                authLog.watching("rest", new AdminHttpService(storage.outbox(), storage.deliveryLog(), () -> presence.stats(null),
                        serviceAuth, clock)),
                authLog.watching("rest", templates.http(serviceAuth, clock)),
                authLog.watching("rest", new IngestDeadLettersHttpService(ingestDeadLetters, serviceAuth)),
                authLog.watching("rest", new TestMessageHttpService(new TestMessages(storage, pipeline, senders,
                        config.channels().rateLimits(), clock), serviceAuth)),
                authLog.watching("rest", new NotificationsHttpService(pipeline, inbox, serviceAuth)),
                authLog.watching("rest", new UserDataHttpService(storage, serviceAuth, clock)), new OpenApiHttpService(),
                new WebAssets()));
        channelWiring.unsubscribeLinks().ifPresent(links -> http.add(new UnsubscribeHttpService(links, settings)));
        HeraldConfig.Metrics metricsConfig = config.ops().metrics();
        if (metricsConfig.enabled()) {
            HttpService scrape = authLog.watching("metrics", new MetricsEndpoint(metrics, metricsConfig.token().map(Secret::value)));
            if (metricsConfig.port().isPresent()) {
                metricsServer = MetricsServer.start(config.network().host(), metricsConfig.port().get(), scrape);
                closeOrder.push(metricsServer);
            } else {
                http.add(scrape);
            }
        }

        if (redis != null) {
            // Every node pattern-subscribes, so each delivers to its own sockets only (emitLocal).
            RedisIngest ingest = new RedisIngest(redis, config.cluster().redisIngestPrefix(),
                    (userId, event, json) -> {
                        // Every node hears every message: a node counts it when it reached one of its sockets.
                        if (hub.emitLocal("user:" + userId, new OutboundEvent(event, json), Set.of()) > 0) metrics.messageSent(event);
                    },
                    metrics.registry());
            ingest.start();
            closeOrder.push(ingest);
            ops.check("redis", () -> presence.statusOf("readiness-probe") != null);
        }

        // Durable ingestion (NATS JetStream, event rules, Redis notifications:send and Streams) into the one intake.
        IngestWiring.start(config.ingest(), nats, redis, pipeline, channels, ingestDeadLetters, nodeId, clock,
                metrics.registry(), closeOrder::push);

        // The client port opens before gRPC sets itself up (~0.2 s sooner): after a restart the
        // clients are what waits. Should gRPC then fail to start, closeAll shuts the gateway too.
        gateway = security.gateway(new GatewayServer(gatewayConfig(config), authenticator, sessions, http, clock, metrics.registry())).start();
        GatewayServer started = gateway;
        closeOrder.push(() -> started.shutdown(config.ops().shutdownTimeout()));
        if (config.network().grpcEnabled()) {
            grpc = new GrpcServer(new GrpcConfig(config.network().grpcPort(), GrpcConfig.DEFAULT_MAX_MESSAGE_BYTES, null),
                    realtime, serviceAuth, List.of(authLog.grpcInterceptor(), security.grpcLimits()),
                    List.of(new InboxGrpcService(pipeline, inbox, settings), new RealtimeGrpcService(realtime)), security.grpcTls()).start();
            closeOrder.push(grpc);
        } else {
            grpc = null;
        }
        log.info("Herald node {} serving clients on {}:{}{}", nodeId, gateway.address().getHostString(), gateway.port(),
                grpc == null ? "" : ", gRPC on " + grpc.port());
    }

    /** Builds and starts every part; on failure, closes what had started and rethrows. */
    public static Herald start(HeraldConfig config, Clock clock) {
        try {
            return new Herald(config, clock);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting", e);
        }
    }

    static GatewayConfig gatewayConfig(HeraldConfig c) {
        var transports = EnumSet.noneOf(GatewayConfig.EngineTransport.class);
        if (c.protocol().websocket()) transports.add(GatewayConfig.EngineTransport.WEBSOCKET);
        if (c.protocol().polling()) transports.add(GatewayConfig.EngineTransport.POLLING);
        HeraldConfig.HttpGuards h = c.network().http();
        return new GatewayConfig(
                new GatewayConfig.Listen(c.network().host(), c.network().clientPort(), c.network().allowedOrigins(),
                        c.network().inheritedClientSocket()),
                new GatewayConfig.Protocol(c.protocol().pingInterval(), c.protocol().pingTimeout(), c.protocol().connectTimeout(),
                        GatewayConfig.defaults().protocol().upgradeTimeout(), transports, c.protocol().namespaces(), "/socket.io/"),
                new GatewayConfig.Limits(c.protocol().maxPayloadBytes(), c.protocol().outboundBufferBytes(),
                        c.protocol().eventsPerSecond(), c.protocol().eventBurst()),
                new GatewayConfig.Http(h.headerTimeout(), h.bodyTimeout(), h.idleTimeout(), h.maxConnectionsPerIp(),
                        h.maxPipelinedRequests()));
    }

    dev.herald.core.route.FanOutBacklog fanOutBacklog() {
        return fanOutBacklog;
    }

    public int clientPort() {
        return gateway.port();
    }

    /** The METRICS_PORT server's port, or -1 when /metrics is on the client port (or off). */
    public int metricsPort() {
        return metricsServer == null ? -1 : metricsServer.port();
    }

    public int grpcPort() {
        return grpc == null ? -1 : grpc.port();
    }

    /**
     * Graceful shutdown (seed 000): /ready turns 503, the gateway stops accepting and tells every
     * client, in-flight work drains within SHUTDOWN_TIMEOUT_SECONDS, then the rest closes.
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        log.info("shutting down: draining clients");
        ops.drain();
        gateway.shutdown(config.ops().shutdownTimeout());
        closeAll();
        log.info("shut down");
    }

    /**
     * Closes what was built, newest first; used by close (the gateway is already shut down then:
     * shutting it down again does nothing) and by a start that failed halfway.
     */
    private void closeAll() {
        while (!closeOrder.isEmpty()) {
            try {
                closeOrder.pop().close();
            } catch (Exception e) {
                log.warn("error while closing", e);
            }
        }
    }
}
