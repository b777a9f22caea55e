package dev.herald.server.ops;

import dev.herald.core.ErrorCode;
import dev.herald.core.deliver.live.ConnectionObserver;
import dev.herald.core.deliver.live.DisconnectReason;
import dev.herald.core.deliver.live.Session;
import dev.herald.core.deliver.live.Transport;
import dev.herald.core.ingest.DeliveryObserver;
import dev.herald.core.deliver.live.LiveNotifier;
import dev.herald.core.notification.Channel;
import dev.herald.core.route.Hub;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Prometheus metrics, under the seed names: 000's {@code notifications_*}, 003's
 * {@code websocket_*}, 004's {@code notification_websocket_*} (docs/metrics.md lists each with what
 * moves it), plus JVM memory, GC, threads, class loading, CPU and uptime. Connection gauges count
 * this node's sessions; cluster-wide totals come from GetConnectionStats. Frames to sockets are
 * counted where every path meets, the {@link Hub}'s local emit ({@link #emitted}).
 */
public final class HeraldMetrics implements ConnectionObserver, DeliveryObserver, Hub.EmitObserver, AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicInteger connections = new AtomicInteger();
    private final Map<Transport, AtomicInteger> byTransport = new EnumMap<>(Transport.class);
    /** One gauge per team with open connections: a team's gauge is removed with its last connection. */
    private final Map<String, TeamGauge> byTeam = new ConcurrentHashMap<>();
    private final Timer connectionDuration;
    private final Timer websocketDuration;
    private final Counter websocketOpened;
    private final Counter websocketOpenedSeed004;
    private final Counter staleConnections;
    private final Counter websocketErrors;
    private final Counter websocketFramesSeed004;
    private final DistributionSummary messageSize;
    private final Timer broadcastDuration;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final SeedExposition seedNames;

    private record TeamGauge(AtomicInteger open, Gauge gauge) {}

    public HeraldMetrics() {
        this("local");
    }

    /** @param nodeId the {@code server_id} label of {@code websocket_connections_active} */
    public HeraldMetrics(String nodeId) {
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
        // Seed 003 and 004 name the same connection facts again; "websocket" there means any client socket.
        Gauge.builder("websocket.connections.active", connections, AtomicInteger::get).tag("server_id", nodeId)
                .description("Open client connections on this node, every transport").register(registry);
        websocketOpened = Counter.builder("websocket.connections").description("Client connections opened").register(registry);
        websocketOpenedSeed004 = Counter.builder("notification.websocket.connections")
                .description("Client connections opened (seed 004 name)").register(registry);
        websocketDuration = Timer.builder("websocket.connection.duration").publishPercentileHistogram()
                .description("How long client connections lasted").register(registry);
        staleConnections = Counter.builder("websocket.stale.connections")
                .description("Connections closed because no pong came within the ping timeout").register(registry);
        websocketErrors = Counter.builder("notification.websocket.errors")
                .description("Connections ended by an error: transport, protocol, ping timeout, slow consumer").register(registry);
        websocketFramesSeed004 = Counter.builder("notification.websocket.messages.sent")
                .description("Event frames accepted by local sockets, every event (seed 004 name)").register(registry);
        messageSize = DistributionSummary.builder("websocket.message.size").baseUnit("bytes")
                .description("JSON size of each event emitted to local sockets").register(registry);
        broadcastDuration = Timer.builder("websocket.broadcast.duration").publishPercentileHistogram()
                .description("From a real-time API call to its emit handed to the broker").register(registry);
        Counter.builder("notifications.delivery.failures").tag("reason", "session_closed")
                .description("Sends that did not reach their target, by reason").register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        seedNames = new SeedExposition(connections::get);
    }

    /**
     * Exposes the live fan-out backlog: {@code herald_fanout_backlog} (deliveries handed to event
     * loops, not yet written), {@code herald_fanout_backlog_limit} and {@code herald_fanout_refused_total}
     * (real-time calls refused OVERLOADED).
     */
    public HeraldMetrics fanOut(dev.herald.core.route.FanOutBacklog backlog) {
        Gauge.builder("herald.fanout.backlog", backlog, dev.herald.core.route.FanOutBacklog::pending)
                .description("Live deliveries handed to event loops and not yet written out of this node").register(registry);
        Gauge.builder("herald.fanout.backlog.limit", backlog, dev.herald.core.route.FanOutBacklog::limit)
                .description("REALTIME_MAX_FANOUT_BACKLOG (0: no bound)").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("herald.fanout.refused", backlog, dev.herald.core.route.FanOutBacklog::refusals)
                .description("Real-time calls refused OVERLOADED because the fan-out backlog was full").register(registry);
        return this;
    }

    /** Where {@code notifications_rooms_total} and {@code notifications_room_members_total} read the local rooms. */
    public HeraldMetrics rooms(Supplier<Map<String, Integer>> localRoomSizes) {
        seedNames.rooms(localRoomSizes);
        return this;
    }

    /** Counts {@code notifications_created_total{type}} (PipelineMetrics calls it). */
    void created(String type, int count) {
        seedNames.created(type, count);
    }

    @Override
    public void close() {
        gc.close();
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition of every metric. */
    public String scrape() {
        StringBuilder out = new StringBuilder(registry.scrape());
        seedNames.appendTo(out);
        return out.toString();
    }

    @Override
    public void connected(Session session) {
        connections.incrementAndGet();
        websocketOpened.increment();
        websocketOpenedSeed004.increment();
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
        websocketDuration.record(connectedFor);
        if (reason.equals(DisconnectReason.PING_TIMEOUT)) staleConnections.increment();
        if (reason.equals(DisconnectReason.PING_TIMEOUT) || reason.equals(DisconnectReason.TRANSPORT_ERROR)
                || reason.equals(DisconnectReason.PROTOCOL_ERROR) || reason.equals(DisconnectReason.SLOW_CONSUMER)) {
            websocketErrors.increment();
        }
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
    public void received(Session session, String event) {
        Counter.builder("websocket.messages.received").tag("event_type", event)
                .description("Events received from clients").register(registry).increment();
    }

    /**
     * A real-time send handed on: the API's, the inbox's live push, a Redis-ingested message.
     * {@code connections} is not counted here: {@link #emitted} counts the frames sockets accepted.
     */
    @Override
    public void sent(String eventType, int connections, Duration took) {
        messageSent(eventType);
        deliveryDuration(took);
        if (!eventType.equals(LiveNotifier.NOTIFICATION) && !eventType.equals(LiveNotifier.NOTIFICATION_STATUS)) {
            broadcastDuration.record(took);
        }
    }

    @Override
    public void failed(String eventType, String reason) {
        deliveryFailed(reason);
    }

    /** Counts {@code notifications_delivery_failures_total{reason}}; reasons are short fixed codes. */
    public void deliveryFailed(String reason) {
        Counter.builder("notifications.delivery.failures").tag("reason", reason)
                .description("Sends that did not reach their target, by reason").register(registry).increment();
    }

    public void messageSent(String eventType) {
        Counter.builder("notifications.messages.sent").tag("event_type", eventType)
                .description("Messages accepted for delivery").register(registry).increment();
    }

    /** Every emit to this node's sockets, whatever path brought it. */
    @Override
    public void emitted(String event, int jsonChars, int accepted, int refused) {
        if (accepted > 0) {
            Counter.builder("notifications.messages.delivered").tag("event_type", event)
                    .description("Frames accepted by connected sockets on this node").register(registry).increment(accepted);
            Counter.builder("websocket.messages.sent").tag("event_type", event)
                    .description("Event frames accepted by local sockets").register(registry).increment(accepted);
            websocketFramesSeed004.increment(accepted);
            if (event.equals(LiveNotifier.NOTIFICATION)) {
                Counter.builder("notifications.delivered").tag("channel", Channel.IN_APP.wire())
                        .description("Deliveries made, by channel").register(registry).increment(accepted);
            }
        }
        messageSize.record(jsonChars);
        if (refused > 0) {
            Counter.builder("notifications.delivery.failures").tag("reason", "session_closed").register(registry).increment(refused);
        }
    }

    public void deliveryDuration(Duration d) {
        Timer.builder("notifications.message.delivery.duration").publishPercentileHistogram()
                .description("From API call to frames queued").register(registry).record(d);
    }
}
