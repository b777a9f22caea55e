package dev.herald.server.security;

import dev.herald.broker.limit.LocalRateLimiters;
import dev.herald.broker.redis.RedisBroker;
import dev.herald.broker.redis.RedisConnector;
import dev.herald.broker.redis.RedisRateLimiters;
import dev.herald.core.auth.Authenticator;
import dev.herald.core.deliver.live.HeraldSessionHandler;
import dev.herald.core.deliver.live.TokenLifecycle;
import dev.herald.core.http.HttpService;
import dev.herald.core.limit.RateLimiter;
import dev.herald.core.limit.RateLimiters;
import dev.herald.gateway.GatewayServer;
import dev.herald.server.config.SecuritySettings;
import io.grpc.ServerInterceptor;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.ssl.SslContext;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Consumer;

/**
 * Wires sessions' token lifecycle, TLS and the rate limits (DESIGN §3, §8) from
 * {@link SecuritySettings}, so the composition root adds a few calls only. One timer thread serves
 * every session's expiry and the certificate polling.
 *
 * <p>Budgets are in Redis when the node has {@code REDIS_URL} (cluster-wide), else in process.
 */
public final class SecurityWiring {
    private final SecuritySettings settings;
    private final Clock clock;
    private final ScheduledThreadPoolExecutor timer;
    private final RateLimiter apiRequests;
    private final RateLimiter broadcasts;
    private final RateLimiter userEvents;
    private final RateLimiter handshakes;
    private final TlsFiles tls;

    /** @param onClose receives what must be closed with the node, in the order it should be closed last-first */
    public SecurityWiring(SecuritySettings settings, Clock clock, MeterRegistry registry, RedisConnector redis,
                          Consumer<AutoCloseable> onClose) {
        this.settings = settings;
        this.clock = clock;
        this.timer = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().name("herald-timer").daemon().factory());
        // Millions of sessions each hold two timers; a refresh cancels both, which must free them at once.
        timer.setRemoveOnCancelPolicy(true);
        onClose.accept(timer::shutdownNow);
        RateLimiters store;
        if (redis != null) {
            RedisRateLimiters shared = new RedisRateLimiters(redis, RedisBroker.DEFAULT_PREFIX, clock);
            onClose.accept(shared);
            store = shared;
        } else {
            store = new LocalRateLimiters(clock);
        }
        WatchedLimits limits = new WatchedLimits(store, registry, clock);
        SecuritySettings.RateLimits r = settings.rateLimits();
        this.apiRequests = limits.limiter("api", r.apiPerSecond(), Duration.ofSeconds(1));
        this.broadcasts = limits.limiter("broadcast", r.broadcastsPerMinute(), Duration.ofMinutes(1));
        this.userEvents = limits.limiter("user_events", r.userEventsPerMinute(), Duration.ofMinutes(1));
        this.handshakes = limits.limiter("handshake", r.handshakesPerIpPerMinute(), Duration.ofMinutes(1));
        this.tls = settings.tls().map(files -> new TlsFiles(files, timer)).orElse(null);
        if (tls != null) onClose.accept(tls);
    }

    /** Token refresh and live expiry, and the per-user event budget, on every session. */
    public void sessions(HeraldSessionHandler sessions, Authenticator authenticator) {
        new TokenLifecycle(authenticator, clock, timer, settings.tokenExpiringNotice()).registerOn(sessions);
        sessions.limitEventsPerUser(userEvents);
    }

    /** The node's one timer thread (token expiry, TLS reloads, presence notices): tasks on it must not block. */
    public ScheduledExecutorService timer() {
        return timer;
    }

    /** Put before the REST services: answers only the requests a limit refuses. */
    public HttpService restLimits() {
        return new ApiRateLimit(apiRequests, broadcasts);
    }

    /** The same limits for gRPC; install it outermost. */
    public ServerInterceptor grpcLimits() {
        return new GrpcRateLimit(apiRequests, broadcasts);
    }

    /** gRPC's TLS context, or null for plaintext. */
    public SslContext grpcTls() {
        return tls == null ? null : tls.grpc();
    }

    /** TLS and the per-IP handshake budget on the client port; call before it starts. */
    public GatewayServer gateway(GatewayServer gateway) {
        gateway.limitHandshakes(handshakes);
        if (tls != null) gateway.tls(tls.clientPort());
        return gateway;
    }
}
