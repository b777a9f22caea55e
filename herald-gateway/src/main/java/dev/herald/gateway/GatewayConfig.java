package dev.herald.gateway;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the client port needs to know, validated once. Durations are wall-clock; the sizes are
 * bytes. An empty {@code allowedOrigins} allows any origin by echoing it (what browsers need for
 * credentialed requests); otherwise only the listed origins get CORS headers.
 *
 * @param transports the Engine.IO transports offered ({@code ENABLE_WEBSOCKET}, {@code ENABLE_POLLING})
 * @param namespaces extra Socket.IO namespaces bridged to Herald besides "/"
 * @param path the Engine.IO path, "/socket.io/" by default
 */
public record GatewayConfig(String host, int port, Duration pingInterval, Duration pingTimeout,
                            int maxPayloadBytes, Duration connectTimeout, Duration upgradeTimeout,
                            List<String> allowedOrigins, Set<EngineTransport> transports,
                            int outboundBufferBytes, double eventsPerSecond, int eventBurst,
                            List<String> namespaces, String path) {

    /** The Engine.IO transports a deployment can switch on or off. */
    public enum EngineTransport { WEBSOCKET, POLLING }

    public static final int DEFAULT_MAX_PAYLOAD = 1_000_000;
    public static final int DEFAULT_OUTBOUND_BUFFER = 1 << 20;

    public GatewayConfig {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("SOCKETIO_PORT must be 0..65535, got " + port);
        requirePositive(pingInterval, "PING_INTERVAL");
        requirePositive(pingTimeout, "PING_TIMEOUT");
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(upgradeTimeout, "upgradeTimeout");
        if (maxPayloadBytes < 1024) throw new IllegalArgumentException("maxPayloadBytes must be >= 1024, got " + maxPayloadBytes);
        if (outboundBufferBytes < 1024) throw new IllegalArgumentException("outboundBufferBytes must be >= 1024, got " + outboundBufferBytes);
        if (!(eventsPerSecond > 0)) throw new IllegalArgumentException("eventsPerSecond must be > 0, got " + eventsPerSecond);
        if (eventBurst < 1) throw new IllegalArgumentException("eventBurst must be >= 1, got " + eventBurst);
        allowedOrigins = List.copyOf(Objects.requireNonNull(allowedOrigins, "ALLOWED_ORIGINS"));
        Objects.requireNonNull(transports, "transports");
        if (transports.isEmpty()) throw new IllegalArgumentException("ENABLE_WEBSOCKET and ENABLE_POLLING cannot both be off");
        transports = Set.copyOf(transports);
        namespaces = List.copyOf(Objects.requireNonNull(namespaces, "namespaces"));
        for (String nsp : namespaces) {
            if (!nsp.startsWith("/") || nsp.length() < 2 || nsp.contains(",")) {
                throw new IllegalArgumentException("namespace must look like /name, got '" + nsp + "'");
            }
        }
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/") || !path.endsWith("/")) throw new IllegalArgumentException("path must start and end with '/', got " + path);
    }

    /** Seed 000 defaults: port 3000, ping 25 s / 60 s, 1 MB payloads, both transports. */
    public static GatewayConfig defaults() {
        return new GatewayConfig("0.0.0.0", 3000, Duration.ofSeconds(25), Duration.ofSeconds(60),
                DEFAULT_MAX_PAYLOAD, Duration.ofSeconds(45), Duration.ofSeconds(10), List.of(),
                EnumSet.allOf(EngineTransport.class), DEFAULT_OUTBOUND_BUFFER, 50, 100, List.of(), "/socket.io/");
    }

    public GatewayConfig withPort(int newPort) {
        return new GatewayConfig(host, newPort, pingInterval, pingTimeout, maxPayloadBytes, connectTimeout,
                upgradeTimeout, allowedOrigins, transports, outboundBufferBytes, eventsPerSecond, eventBurst, namespaces, path);
    }

    public GatewayConfig withHeartbeat(Duration interval, Duration timeout) {
        return new GatewayConfig(host, port, interval, timeout, maxPayloadBytes, connectTimeout,
                upgradeTimeout, allowedOrigins, transports, outboundBufferBytes, eventsPerSecond, eventBurst, namespaces, path);
    }

    public GatewayConfig withConnectTimeout(Duration timeout) {
        return new GatewayConfig(host, port, pingInterval, pingTimeout, maxPayloadBytes, timeout,
                upgradeTimeout, allowedOrigins, transports, outboundBufferBytes, eventsPerSecond, eventBurst, namespaces, path);
    }

    public GatewayConfig withUpgradeTimeout(Duration timeout) {
        return new GatewayConfig(host, port, pingInterval, pingTimeout, maxPayloadBytes, connectTimeout,
                timeout, allowedOrigins, transports, outboundBufferBytes, eventsPerSecond, eventBurst, namespaces, path);
    }

    public GatewayConfig withOutboundBufferBytes(int bytes) {
        return new GatewayConfig(host, port, pingInterval, pingTimeout, maxPayloadBytes, connectTimeout,
                upgradeTimeout, allowedOrigins, transports, bytes, eventsPerSecond, eventBurst, namespaces, path);
    }

    public GatewayConfig withRateLimit(double perSecond, int burst) {
        return new GatewayConfig(host, port, pingInterval, pingTimeout, maxPayloadBytes, connectTimeout,
                upgradeTimeout, allowedOrigins, transports, outboundBufferBytes, perSecond, burst, namespaces, path);
    }

    public GatewayConfig withNamespaces(List<String> extra) {
        return new GatewayConfig(host, port, pingInterval, pingTimeout, maxPayloadBytes, connectTimeout,
                upgradeTimeout, allowedOrigins, transports, outboundBufferBytes, eventsPerSecond, eventBurst, extra, path);
    }

    public GatewayConfig withAllowedOrigins(List<String> origins) {
        return new GatewayConfig(host, port, pingInterval, pingTimeout, maxPayloadBytes, connectTimeout,
                upgradeTimeout, origins, transports, outboundBufferBytes, eventsPerSecond, eventBurst, namespaces, path);
    }

    public boolean offers(EngineTransport transport) {
        return transports.contains(transport);
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
}
