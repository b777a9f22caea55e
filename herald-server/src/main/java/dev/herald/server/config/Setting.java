package dev.herald.server.config;

import java.util.List;

/**
 * Every variable Herald reads, with its default and meaning: the one table behind {@code herald
 * config} and the README. Names follow seed 000 where it has one.
 */
public record Setting(String name, String fallback, boolean secret, String meaning) {
    public static final List<Setting> ALL = List.of(
            new Setting("SOCKETIO_PORT", "3000", false, "port of the client server: Socket.IO, /ws, REST, /health, /metrics"),
            new Setting("HOST", "0.0.0.0", false, "address the servers bind"),
            new Setting("GRPC_PORT", "50053", false, "port of the gRPC server"),
            new Setting("ENABLE_GRPC", "true", false, "serve the gRPC API"),
            new Setting("ALLOWED_ORIGINS", "*", false, "comma-separated browser origins allowed by CORS; * allows any"),
            new Setting("JWT_SECRET", "(generated into HERALD_DATA_DIR/jwt-secret)", true, "HS256 secret, at least 32 bytes"),
            new Setting("JWT_JWKS_URL", "", false, "JWKS URL for RS256/ES256 tokens (cached and refreshed)"),
            new Setting("JWT_ISSUER", "", false, "required iss claim, when set"),
            new Setting("JWT_AUDIENCE", "", false, "required aud claim, when set"),
            new Setting("JWT_REQUIRE_EXP", "true", false, "refuse tokens without an exp claim (INVALID_TOKEN); false lets such tokens live forever"),
            new Setting("JWT_MAX_LIFETIME_SECONDS", "604800", false, "longest token lifetime accepted (exp - iat, or exp - now without iat), 7 days; 0: no maximum"),
            new Setting("HERALD_API_KEYS", "", true, "comma-separated API keys accepted from backend services"),
            new Setting("MAX_CONNECTIONS", "10000", false, "client connections per node (CONNECTION_LIMIT_REACHED beyond)"),
            new Setting("MAX_CONNECTIONS_PER_USER", "5", false, "connections per user; the oldest is disconnected beyond"),
            new Setting("PRESENCE_TEAM_LIMIT", "500", false, "teams with more sockets on a node get no online/offline notices (they cost one frame per teammate)"),
            new Setting("CONNECTION_TIMEOUT_SECONDS", "45", false, "time a client has to send its Socket.IO CONNECT or /ws auth"),
            new Setting("PING_INTERVAL_SECONDS", "25", false, "server ping interval"),
            new Setting("PING_TIMEOUT_SECONDS", "60", false, "a client silent this long after a ping is closed"),
            new Setting("MAX_PAYLOAD_BYTES", "1000000", false, "largest frame or polling payload accepted"),
            new Setting("OUTBOUND_BUFFER_BYTES", "1048576", false, "per-connection outbound buffer; a client this far behind is dropped"),
            new Setting("EVENTS_PER_SECOND", "50", false, "client events per connection per second (burst: EVENT_BURST)"),
            new Setting("EVENT_BURST", "100", false, "client events a connection may send at once"),
            new Setting("ENABLE_WEBSOCKET", "true", false, "accept the websocket transport"),
            new Setting("ENABLE_POLLING", "true", false, "accept the HTTP long-polling transport"),
            new Setting("SOCKETIO_NAMESPACES", "", false, "extra Socket.IO namespaces served like / (comma-separated, e.g. /app)"),
            new Setting("HERALD_DATA_DIR", "./data", false, "folder of the embedded store and generated secret"),
            new Setting("DATABASE_URL", "", true, "PostgreSQL URL (postgres://user:pass@host:5432/db); embedded store when unset"),
            new Setting("DATABASE_SCHEMA", "public", false, "PostgreSQL schema Herald's tables live in"),
            new Setting("DATABASE_POOL_SIZE", "10", false, "PostgreSQL connection pool size"),
            new Setting("RETENTION_DAYS", "90", false, "notifications older than this are purged (expired ones sooner)"),
            new Setting("REDIS_URL", "", true, "Redis URL (redis://host:6379); enables the cluster broker, presence and user_noti:* ingestion"),
            new Setting("REDIS_INGEST_PREFIX", "user_noti:", false, "channel prefix of Redis pub/sub ingestion"),
            new Setting("NATS_URL", "", true, "NATS URL (nats://host:4222)"),
            new Setting("NODE_ID", "(host name and a random suffix)", false, "this node's id in the cluster registry"),
            new Setting("LOG_LEVEL", "info", false, "trace, debug, info, warn or error"),
            new Setting("LOG_FORMAT", "json", false, "json (one object per line) or console"),
            new Setting("ENABLE_METRICS", "true", false, "serve Prometheus metrics at /metrics"),
            new Setting("SHUTDOWN_TIMEOUT_SECONDS", "30", false, "graceful shutdown budget on SIGTERM"));

    /** What {@code herald config} shows for a value: secrets masked, userinfo of URLs hidden. */
    public String display(String value) {
        if (value == null || value.isEmpty()) return value;
        if (name.endsWith("_URL")) return value.replaceAll("//[^/@]*@", "//****@");
        return secret ? "****" : value;
    }
}
