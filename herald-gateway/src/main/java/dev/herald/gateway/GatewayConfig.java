package dev.herald.gateway;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Everything the client port needs to know, validated once, in four groups: where it listens, the
 * Socket.IO protocol, per-connection limits, and plain HTTP's guards. Durations are wall-clock; the
 * sizes are bytes. Messages name the environment variable where there is one.
 */
public record GatewayConfig(Listen listen, Protocol protocol, Limits limits, Http http) {

    /** The Engine.IO transports a deployment can switch on or off. */
    public enum EngineTransport { WEBSOCKET, POLLING }

    public static final int DEFAULT_MAX_PAYLOAD = 1_000_000;
    public static final int DEFAULT_OUTBOUND_BUFFER = 1 << 20;

    /**
     * Where the port listens and who may call it from a browser. An empty {@code allowedOrigins} (or
     * one holding "*") allows any origin, answered {@code Access-Control-Allow-Origin: *} without
     * credentials; otherwise only the listed origins are echoed, with credentials allowed.
     *
     * @param inheritedSocket a listening socket the process was started with (systemd socket
     *     activation, {@code LISTEN_FDS}), served instead of binding {@code host:port}
     */
    public record Listen(String host, int port, List<String> allowedOrigins, OptionalInt inheritedSocket) {
        public Listen {
            Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65535) throw new IllegalArgumentException("SOCKETIO_PORT must be 0..65535, got " + port);
            allowedOrigins = List.copyOf(Objects.requireNonNull(allowedOrigins, "ALLOWED_ORIGINS"));
            Objects.requireNonNull(inheritedSocket, "inheritedSocket");
            if (inheritedSocket.isPresent() && inheritedSocket.getAsInt() < 0) {
                throw new IllegalArgumentException("an inherited socket's descriptor must be >= 0, got " + inheritedSocket.getAsInt());
            }
        }

        /** Binds {@code host:port} itself. */
        public Listen(String host, int port, List<String> allowedOrigins) {
            this(host, port, allowedOrigins, OptionalInt.empty());
        }
    }

    /**
     * Socket.IO / Engine.IO and /ws session timing.
     *
     * @param transports the Engine.IO transports offered ({@code ENABLE_WEBSOCKET}, {@code ENABLE_POLLING})
     * @param namespaces extra Socket.IO namespaces bridged to Herald besides "/"
     * @param path the Engine.IO path, "/socket.io/" by default
     */
    public record Protocol(Duration pingInterval, Duration pingTimeout, Duration connectTimeout, Duration upgradeTimeout,
                           Set<EngineTransport> transports, List<String> namespaces, String path) {
        public Protocol {
            requirePositive(pingInterval, "PING_INTERVAL");
            requirePositive(pingTimeout, "PING_TIMEOUT");
            requirePositive(connectTimeout, "connectTimeout");
            requirePositive(upgradeTimeout, "upgradeTimeout");
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
    }

    /** What one connection may cost: inbound message size, outbound backlog, client events. */
    public record Limits(int maxPayloadBytes, int outboundBufferBytes, double eventsPerSecond, int eventBurst) {
        public Limits {
            if (maxPayloadBytes < 1024) throw new IllegalArgumentException("maxPayloadBytes must be >= 1024, got " + maxPayloadBytes);
            if (outboundBufferBytes < 1024) throw new IllegalArgumentException("outboundBufferBytes must be >= 1024, got " + outboundBufferBytes);
            if (!(eventsPerSecond > 0)) throw new IllegalArgumentException("eventsPerSecond must be > 0, got " + eventsPerSecond);
            if (eventBurst < 1) throw new IllegalArgumentException("eventBurst must be >= 1, got " + eventBurst);
        }
    }

    /**
     * Guards of plain HTTP connections (REST and polling alike; upgraded WebSockets leave them).
     *
     * @param headerTimeout time a client has to send a whole request head, from its first byte (or from connecting)
     * @param bodyTimeout time a client has to send a whole request body, once the head is in
     * @param idleTimeout how long a keep-alive connection may wait, owing nothing, for its next request
     * @param maxConnectionsPerIp open connections one remote address may hold; 0 means no cap
     * @param maxPipelinedRequests requests one connection may have waiting for answers; the next is refused with 429
     */
    public record Http(Duration headerTimeout, Duration bodyTimeout, Duration idleTimeout, int maxConnectionsPerIp,
                       int maxPipelinedRequests) {
        public static final Http DEFAULTS = new Http(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60),
                500, 128);

        public Http {
            requirePositive(headerTimeout, "HTTP_HEADER_TIMEOUT_SECONDS");
            requirePositive(bodyTimeout, "HTTP_BODY_TIMEOUT_SECONDS");
            requirePositive(idleTimeout, "HTTP_IDLE_TIMEOUT_SECONDS");
            if (maxConnectionsPerIp < 0) throw new IllegalArgumentException("MAX_CONNECTIONS_PER_IP must be >= 0, got " + maxConnectionsPerIp);
            if (maxPipelinedRequests < 1) throw new IllegalArgumentException("MAX_PIPELINED_REQUESTS must be >= 1, got " + maxPipelinedRequests);
        }
    }

    public GatewayConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(http, "http");
    }

    /** Seed 000 defaults: port 3000, ping 25 s / 60 s, 1 MB payloads, both transports. */
    public static GatewayConfig defaults() {
        return new GatewayConfig(new Listen("0.0.0.0", 3000, List.of()),
                new Protocol(Duration.ofSeconds(25), Duration.ofSeconds(60), Duration.ofSeconds(45), Duration.ofSeconds(10),
                        EnumSet.allOf(EngineTransport.class), List.of(), "/socket.io/"),
                new Limits(DEFAULT_MAX_PAYLOAD, DEFAULT_OUTBOUND_BUFFER, 50, 100), Http.DEFAULTS);
    }

    public GatewayConfig withPort(int newPort) {
        return new GatewayConfig(new Listen(listen.host(), newPort, listen.allowedOrigins(), listen.inheritedSocket()), protocol, limits, http);
    }

    public GatewayConfig withAllowedOrigins(List<String> origins) {
        return new GatewayConfig(new Listen(listen.host(), listen.port(), origins, listen.inheritedSocket()), protocol, limits, http);
    }

    public GatewayConfig withHeartbeat(Duration interval, Duration timeout) {
        Protocol p = protocol;
        return withProtocol(new Protocol(interval, timeout, p.connectTimeout(), p.upgradeTimeout(), p.transports(), p.namespaces(), p.path()));
    }

    public GatewayConfig withConnectTimeout(Duration timeout) {
        Protocol p = protocol;
        return withProtocol(new Protocol(p.pingInterval(), p.pingTimeout(), timeout, p.upgradeTimeout(), p.transports(), p.namespaces(), p.path()));
    }

    public GatewayConfig withUpgradeTimeout(Duration timeout) {
        Protocol p = protocol;
        return withProtocol(new Protocol(p.pingInterval(), p.pingTimeout(), p.connectTimeout(), timeout, p.transports(), p.namespaces(), p.path()));
    }

    public GatewayConfig withNamespaces(List<String> extra) {
        Protocol p = protocol;
        return withProtocol(new Protocol(p.pingInterval(), p.pingTimeout(), p.connectTimeout(), p.upgradeTimeout(), p.transports(), extra, p.path()));
    }

    public GatewayConfig withProtocol(Protocol newProtocol) {
        return new GatewayConfig(listen, newProtocol, limits, http);
    }

    public GatewayConfig withOutboundBufferBytes(int bytes) {
        return new GatewayConfig(listen, protocol, new Limits(limits.maxPayloadBytes(), bytes, limits.eventsPerSecond(), limits.eventBurst()), http);
    }

    public GatewayConfig withRateLimit(double perSecond, int burst) {
        return new GatewayConfig(listen, protocol, new Limits(limits.maxPayloadBytes(), limits.outboundBufferBytes(), perSecond, burst), http);
    }

    public GatewayConfig withHttp(Http newHttp) {
        return new GatewayConfig(listen, protocol, limits, newHttp);
    }

    public boolean offers(EngineTransport transport) {
        return protocol.transports().contains(transport);
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
}
