package dev.herald.server.ops;

import dev.herald.core.ErrorCode;
import dev.herald.core.deliver.live.ConnectionObserver;
import dev.herald.core.deliver.live.DisconnectReason;
import dev.herald.core.deliver.live.Session;
import dev.herald.core.deliver.live.Transport;
import dev.herald.core.ingest.DeliveryObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Prometheus metrics, under the seed 000 names ({@code notifications_*}). Connection gauges
 * count this node's sessions; cluster-wide totals come from GetConnectionStats.
 */
public final class HeraldMetrics implements ConnectionObserver, DeliveryObserver {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicInteger connections = new AtomicInteger();
    private final Map<Transport, AtomicInteger> byTransport = new EnumMap<>(Transport.class);
    /** One gauge per team with open connections: a team's gauge is removed with its last connection. */
    private final Map<String, TeamGauge> byTeam = new ConcurrentHashMap<>();
    private final Timer connectionDuration;

    private record TeamGauge(AtomicInteger open, Gauge gauge) {}

    public HeraldMetrics() {
        // Seed 000 calls this gauge *_total; the Prometheus client refuses gauges ending in _total,
        // so the exposed name is notifications_connections (the TYPE line says gauge). Documented.
        Gauge.builder("notifications.connections", connections, AtomicInteger::get)
                .description("Open client connections on this node").register(registry);
        for (Transport t : Transport.values()) {
            AtomicInteger n = new AtomicInteger();
            byTransport.put(t, n);
            Gauge.builder("notifications.connections.by.transport", n, AtomicInteger::get)
                    .tag("transport", t.wireName()).description("Open connections by transport").register(registry);
        }
        connectionDuration = Timer.builder("notifications.connection.duration")
                .description("How long connections lasted").publishPercentileHistogram().register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition of every metric. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void connected(Session session) {
        connections.incrementAndGet();
        byTransport.get(session.transport()).incrementAndGet();
        String team = session.principal().teamId();
        if (team != null) {
            // Inside compute, so a team's gauge is never removed while another connection adds to it.
            byTeam.compute(team, (t, g) -> {
                if (g == null) {
                    AtomicInteger n = new AtomicInteger();
                    g = new TeamGauge(n, Gauge.builder("notifications.connections.by.team", n, AtomicInteger::get)
                            .tag("team_id", t).description("Open connections by team").register(registry));
                }
                g.open().incrementAndGet();
                return g;
            });
        }
    }

    @Override
    public void disconnected(Session session, DisconnectReason reason, Duration connectedFor) {
        connections.decrementAndGet();
        byTransport.get(session.transport()).decrementAndGet();
        String team = session.principal().teamId();
        if (team != null) {
            byTeam.computeIfPresent(team, (t, g) -> {
                if (g.open().decrementAndGet() > 0) return g;
                registry.remove(g.gauge());
                return null;
            });
        }
        connectionDuration.record(connectedFor);
        Counter.builder("notifications.disconnections").tag("reason", reason.code())
                .description("Disconnections by reason").register(registry).increment();
    }

    @Override
    public void transportChanged(Session session, Transport from) {
        byTransport.get(from).decrementAndGet();
        byTransport.get(session.transport()).incrementAndGet();
    }

    @Override
    public void refused(ErrorCode code) {
        if (code == ErrorCode.AUTH_FAILED || code == ErrorCode.INVALID_TOKEN || code == ErrorCode.TOKEN_EXPIRED) {
            Counter.builder("notifications.auth.failures").tag("code", code.name())
                    .description("Refused authentications").register(registry).increment();
        } else {
            Counter.builder("notifications.connections.refused").tag("code", code.name())
                    .description("Connections refused after authentication").register(registry).increment();
        }
    }

    @Override
    public void sent(String eventType, int connections, Duration took) {
        messageSent(eventType, connections);
        deliveryDuration(took);
    }

    public void messageSent(String eventType, int recipients) {
        Counter.builder("notifications.messages.sent").tag("event_type", eventType)
                .description("Messages accepted for delivery").register(registry).increment();
        Counter.builder("notifications.messages.delivered").tag("event_type", eventType)
                .description("Deliveries to connected sockets").register(registry).increment(recipients);
    }

    public void deliveryDuration(Duration d) {
        Timer.builder("notifications.message.delivery.duration").publishPercentileHistogram()
                .description("From API call to frames queued").register(registry).record(d);
    }
}
