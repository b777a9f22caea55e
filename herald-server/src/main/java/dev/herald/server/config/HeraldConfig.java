package dev.herald.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Herald's whole configuration, read once from the environment and validated before anything starts. */
public record HeraldConfig(Network network, Protocol protocol, Limits limits, Auth auth, Storage storage,
                           Cluster cluster, Ops ops, DeliverySettings delivery,
                           PushChannelSettings push, TemplateSettings templates, DataSettings data, IngestSettings ingest,
                           ClusterSettings clustering, SecuritySettings security, ChannelSettings channels) {

    /** An empty {@code allowedOrigins} is {@code ALLOWED_ORIGINS=*}: any origin, without credentials. */
    /** @param inheritedClientSocket the client port's listening socket, when systemd's socket activation passed one */
    public record Network(String host, int clientPort, int grpcPort, boolean grpcEnabled, List<String> allowedOrigins,
                          HttpGuards http, OptionalInt inheritedClientSocket) {}

    /** Plain HTTP's timeouts and per-connection caps on the client port (upgraded WebSockets leave them). */
    public record HttpGuards(Duration headerTimeout, Duration bodyTimeout, Duration idleTimeout, int maxConnectionsPerIp,
                             int maxPipelinedRequests) {}

    public record Protocol(Duration pingInterval, Duration pingTimeout, Duration connectTimeout, int maxPayloadBytes,
                           int outboundBufferBytes, int eventsPerSecond, int eventBurst, boolean websocket,
                           boolean polling, List<String> namespaces) {}

    /** @param presenceNoticeWindow how long online/offline changes are gathered into net notices (zero: at once) */
    public record Limits(int maxConnections, int maxConnectionsPerUser, int presenceTeamLimit, Duration presenceNoticeWindow) {}

    /** {@code jwtSecret} empty means: use (or create) the generated secret in the data directory. */
    public record Auth(Optional<Secret> jwtSecret, Optional<String> jwksUrl, Optional<String> issuer,
                       Optional<String> audience, List<Secret> apiKeys, TokenLifetime tokens) {}

    /** {@code maxLifetime} zero means no maximum. */
    public record TokenLifetime(boolean requireExp, Duration maxLifetime) {}

    public record Storage(Path dataDir, Optional<Secret> databaseUrl, String schema, int poolSize, int retentionDays) {}

    public record Cluster(String nodeId, Optional<Secret> redisUrl, String redisIngestPrefix, Optional<Secret> natsUrl) {}

    public enum LogFormat {
        JSON, CONSOLE;

        /** Unset LOG_FORMAT: people read a terminal, machines read files and pipes (DESIGN §8). */
        public static LogFormat onTerminal(boolean terminal) {
            return terminal ? CONSOLE : JSON;
        }

        /**
         * Whether this process talks to a terminal: {@code System.console()} is null otherwise, except
         * on JDK 22-24 whose console exists when redirected too and says so with {@code isTerminal()}.
         */
        static boolean onATerminal() {
            java.io.Console console = System.console();
            if (console == null) return false;
            try {
                return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
            } catch (NoSuchMethodException e) {
                return true;
            } catch (ReflectiveOperationException | RuntimeException e) {
                return false;
            }
        }
    }

    public enum LogLevel { TRACE, DEBUG, INFO, WARN, ERROR }

    /**
     * {@code port} empty: /metrics is served on the client port (0: any free port); {@code token}
     * empty: /metrics needs no credential, else {@code Authorization: Bearer <token>}.
     */
    public record Metrics(boolean enabled, Optional<Integer> port, Optional<Secret> token) {}

    public record Ops(LogLevel logLevel, LogFormat logFormat, Metrics metrics, Duration shutdownTimeout) {}

    public static HeraldConfig from(Env env) {
        var network = new Network(env.string("HOST", "0.0.0.0"), env.port("SOCKETIO_PORT", 3000),
                env.port("GRPC_PORT", 50053), env.bool("ENABLE_GRPC", true),
                env.list("ALLOWED_ORIGINS").stream().filter(o -> !o.equals("*")).toList(),
                new HttpGuards(env.seconds("HTTP_HEADER_TIMEOUT_SECONDS", Duration.ofSeconds(10), 1, 3600),
                        env.seconds("HTTP_BODY_TIMEOUT_SECONDS", Duration.ofSeconds(30), 1, 3600),
                        env.seconds("HTTP_IDLE_TIMEOUT_SECONDS", Duration.ofSeconds(60), 1, 3600),
                        env.integer("MAX_CONNECTIONS_PER_IP", 500, 0, 10_000_000),
                        env.integer("MAX_PIPELINED_REQUESTS", 128, 1, 100_000)),
                SocketActivation.clientSocket(env, ProcessHandle.current().pid()));
        boolean websocket = env.bool("ENABLE_WEBSOCKET", true), polling = env.bool("ENABLE_POLLING", true);
        if (!websocket && !polling) throw new ConfigException("ENABLE_WEBSOCKET", "and ENABLE_POLLING cannot both be false");
        Duration pingInterval = env.seconds("PING_INTERVAL_SECONDS", Duration.ofSeconds(25), 1, 3600);
        Duration pingTimeout = env.seconds("PING_TIMEOUT_SECONDS", Duration.ofSeconds(60), 1, 3600);
        List<String> namespaces = env.list("SOCKETIO_NAMESPACES");
        for (String ns : namespaces) {
            if (!ns.matches("^/[A-Za-z0-9_-]+$")) throw new ConfigException("SOCKETIO_NAMESPACES", "entry '" + ns + "' must look like /name");
        }
        var protocol = new Protocol(pingInterval, pingTimeout,
                env.seconds("CONNECTION_TIMEOUT_SECONDS", Duration.ofSeconds(45), 1, 3600),
                env.integer("MAX_PAYLOAD_BYTES", 1_000_000, 1024, 64 * 1024 * 1024),
                env.integer("OUTBOUND_BUFFER_BYTES", 1 << 20, 16 * 1024, 256 * 1024 * 1024),
                env.integer("EVENTS_PER_SECOND", 50, 1, 1_000_000), env.integer("EVENT_BURST", 100, 1, 1_000_000),
                websocket, polling, namespaces);
        var limits = new Limits(env.integer("MAX_CONNECTIONS", 10_000, 1, 10_000_000),
                env.integer("MAX_CONNECTIONS_PER_USER", 5, 1, 1000), env.integer("PRESENCE_TEAM_LIMIT", 500, 0, 10_000_000),
                Duration.ofMillis(env.integer("PRESENCE_NOTICE_WINDOW_MS", 500, 0, 60_000)));
        Optional<Secret> jwtSecret = env.get("JWT_SECRET").map(Secret::new);
        if (jwtSecret.isPresent() && jwtSecret.get().value().getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 32) {
            throw new ConfigException("JWT_SECRET", "must be at least 32 bytes (HS256 needs a 256-bit key); unset it to use a generated one");
        }
        Optional<String> jwks = env.get("JWT_JWKS_URL");
        jwks.ifPresent(u -> requireUrl("JWT_JWKS_URL", u, "http", "https"));
        var tokens = new TokenLifetime(env.bool("JWT_REQUIRE_EXP", true),
                env.seconds("JWT_MAX_LIFETIME_SECONDS", Duration.ofDays(7), 0, 10L * 366 * 24 * 3600));
        var auth = new Auth(jwtSecret, jwks, env.get("JWT_ISSUER"), env.get("JWT_AUDIENCE"),
                env.list("HERALD_API_KEYS").stream().map(Secret::new).toList(), tokens);
        for (Secret key : auth.apiKeys()) {
            if (key.value().length() < 16) throw new ConfigException("HERALD_API_KEYS", "entries must be at least 16 characters");
        }
        Optional<Secret> db = env.get("DATABASE_URL").map(Secret::new);
        db.ifPresent(u -> requireUrl("DATABASE_URL", u.value(), "postgres", "postgresql", "jdbc:postgresql"));
        String schema = env.string("DATABASE_SCHEMA", "public");
        if (!schema.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) throw new ConfigException("DATABASE_SCHEMA", "must be a plain SQL identifier");
        var storage = new Storage(Path.of(env.string("HERALD_DATA_DIR", "./data")), db, schema,
                env.integer("DATABASE_POOL_SIZE", 10, 1, 200), env.integer("RETENTION_DAYS", 90, 1, 36_500));
        Optional<Secret> redis = env.get("REDIS_URL").map(Secret::new);
        redis.ifPresent(u -> requireUrl("REDIS_URL", u.value(), "redis", "rediss"));
        Optional<Secret> nats = env.get("NATS_URL").map(Secret::new);
        nats.ifPresent(u -> requireUrl("NATS_URL", u.value(), "nats", "tls"));
        var cluster = new Cluster(env.get("NODE_ID").orElseGet(HeraldConfig::defaultNodeId), redis,
                env.string("REDIS_INGEST_PREFIX", "user_noti:"), nats);
        Optional<Integer> metricsPort = env.get("METRICS_PORT").map(v -> env.port("METRICS_PORT", 0));
        if (metricsPort.isPresent() && metricsPort.get() != 0 && metricsPort.get() == network.clientPort()) {
            throw new ConfigException("METRICS_PORT", "must differ from SOCKETIO_PORT (unset it to serve /metrics on the client port)");
        }
        Optional<Secret> metricsToken = env.get("METRICS_TOKEN").map(Secret::new);
        if (metricsToken.isPresent() && metricsToken.get().value().length() < 16) {
            throw new ConfigException("METRICS_TOKEN", "must be at least 16 characters");
        }
        var ops = new Ops(env.choice("LOG_LEVEL", LogLevel.class, LogLevel.INFO),
                env.choice("LOG_FORMAT", LogFormat.class, LogFormat.onTerminal(LogFormat.onATerminal())),
                new Metrics(env.bool("ENABLE_METRICS", true), metricsPort, metricsToken),
                env.seconds("SHUTDOWN_TIMEOUT_SECONDS", Duration.ofSeconds(30), 1, 600));
        return new HeraldConfig(network, protocol, limits, auth, storage, cluster, ops, DeliverySettings.from(env),
                PushChannelSettings.from(env), TemplateSettings.from(env), DataSettings.from(env),
                IngestSettings.from(env, nats.isPresent(), redis.isPresent()), ClusterSettings.from(env), SecuritySettings.from(env),
                ChannelSettings.from(env));
    }

    private static void requireUrl(String variable, String value, String... schemes) {
        for (String scheme : schemes) if (value.startsWith(scheme + "://") || value.startsWith(scheme + ":")) return;
        throw new ConfigException(variable, "must start with " + String.join("://, ", schemes) + "://");
    }

    private static String defaultNodeId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "node";
        }
        return host + "-" + Long.toString(java.util.concurrent.ThreadLocalRandom.current().nextLong(1L << 40), 36);
    }
}
