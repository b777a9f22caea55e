package dev.herald.gateway;

import dev.herald.core.deliver.live.DisconnectReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's own counters. Names follow seed 000 ({@code socketio_connections_active},
 * {@code socketio_disconnections_total{reason}}); the slow-consumer drops are also counted apart so
 * an operator can alert on them.
 */
public final class GatewayMetrics {
    private final MeterRegistry registry;
    private final AtomicInteger engineSessions = new AtomicInteger();
    private final Counter slowConsumers;
    private final Counter rateLimited;
    private final Counter protocolErrors;

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry == null ? new SimpleMeterRegistry() : registry;
        this.registry.gauge("socketio_connections_active", engineSessions);
        this.slowConsumers = this.registry.counter("herald_gateway_slow_consumer_drops_total");
        this.rateLimited = this.registry.counter("herald_gateway_rate_limited_events_total");
        this.protocolErrors = this.registry.counter("herald_gateway_protocol_errors_total");
    }

    public static GatewayMetrics noop() {
        return new GatewayMetrics(null);
    }

    public void sessionOpened() {
        engineSessions.incrementAndGet();
    }

    public void sessionClosed(DisconnectReason reason) {
        engineSessions.decrementAndGet();
        registry.counter("socketio_disconnections_total", "reason", reason.code()).increment();
        if (reason.equals(DisconnectReason.PROTOCOL_ERROR)) protocolErrors.increment();
    }

    /** A client stopped reading and was dropped instead of buffering for it. */
    public void slowConsumerDropped() {
        slowConsumers.increment();
    }

    public void eventRateLimited() {
        rateLimited.increment();
    }

    public double slowConsumerDrops() {
        return slowConsumers.count();
    }

    public double rateLimitedEvents() {
        return rateLimited.count();
    }

    public int activeConnections() {
        return engineSessions.get();
    }
}
