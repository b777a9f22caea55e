package dev.herald.server.config;

import java.util.List;

/**
 * Every variable Herald reads, with its default and meaning: the one table behind {@code herald
 * config} and the README. Names follow seed 000 where it has one.
 */
public record Setting(String name, String fallback, boolean secret, String meaning) {
    public static final List<Setting> ALL = List.of(
            new Setting("SOCKETIO_PORT", "3000", false, "port of the client server: Socket.IO, /ws, REST, /health, /ready, /metrics (unless METRICS_PORT)"),
            new Setting("HOST", "0.0.0.0", false, "address the servers bind"),
            new Setting("GRPC_PORT", "50053", false, "port of the gRPC server"),
            new Setting("ENABLE_GRPC", "true", false, "serve the gRPC API"),
            new Setting("ALLOWED_ORIGINS", "*", false, "comma-separated browser origins allowed by CORS, with credentials; * allows any, without credentials"),
            new Setting("HTTP_HEADER_TIMEOUT_SECONDS", "10", false, "time a client has to send a whole HTTP request head (from connecting or its first byte)"),
            new Setting("HTTP_BODY_TIMEOUT_SECONDS", "30", false, "time a client has to send a whole HTTP request body once the head is in"),
            new Setting("HTTP_IDLE_TIMEOUT_SECONDS", "60", false, "a keep-alive HTTP connection with nothing in flight is closed after this long"),
            new Setting("MAX_CONNECTIONS_PER_IP", "500", false, "open connections per remote address (0: no cap; behind a proxy, every client shares its address)"),
            new Setting("MAX_PIPELINED_REQUESTS", "128", false, "HTTP requests one connection may have awaiting answers; the next gets 429 and the connection closes"),
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
            new Setting("METRICS_PORT", "(the client port)", false, "serve /metrics on this port only (its own HTTP server), e.g. one kept off the public network"),
            new Setting("METRICS_TOKEN", "", true, "when set, /metrics needs Authorization: Bearer <token> (at least 16 characters)"),
            new Setting("SHUTDOWN_TIMEOUT_SECONDS", "30", false, "graceful shutdown budget on SIGTERM"),
            new Setting("DELIVERY_RETRY_SCHEDULE", "1s,5s,30s,5m", false, "waits between send attempts (ms, s, m, h; the last repeats), jittered ±20 %"),
            new Setting("DELIVERY_LEASE_SECONDS", "60", false, "how long a node's claim on an outbox row lasts: a killed node's sends go out again from another node after it; must be longer than a webhook send (WEBHOOK_TIMEOUT_SECONDS + up to 5 s to connect), and unset is twice that when 60 s is not"),
            new Setting("EMAIL_MAX_ATTEMPTS", "3", false, "send attempts of an email before it is a dead letter"),
            new Setting("PUSH_MAX_ATTEMPTS", "5", false, "send attempts of a push before it is a dead letter"),
            new Setting("SMS_MAX_ATTEMPTS", "3", false, "send attempts of an SMS before it is a dead letter"),
            new Setting("WEBHOOK_MAX_ATTEMPTS", "8", false, "send attempts of a webhook before it is a dead letter"),
            new Setting("WEBHOOK_SIGNING_SECRET", "", true, "Standard Webhooks key (whsec_<base64> of 24-64 bytes); configures the webhook channel"),
            new Setting("DELIVERY_WEBHOOK_URL", "", true, "where signed delivery status callbacks go (delivered, read, failed, dead); needs WEBHOOK_SIGNING_SECRET"),
            new Setting("ALLOW_HTTP_WEBHOOKS", "false", false, "allow http:// webhook URLs to loopback addresses (tests, local setups)"),
            new Setting("WEBHOOK_TIMEOUT_SECONDS", "10", false, "time a webhook endpoint has to answer (1-300); connecting gets at most 5 s"),
            new Setting("SMTP_URL", "", true, "SMTP server (smtp://host:587, smtps://host:465); `herald doctor` checks that it greets"),
            new Setting("HERALD_API_KEY", "", true, "the service API key `herald send` uses when --api-key is not given (a client setting, not the server's)"));

    /** What {@code herald config} shows for a value: secrets masked, userinfo of URLs hidden. */
    public String display(String value) {
        if (value == null || value.isEmpty()) return value;
        if (name.endsWith("_URL")) return value.replaceAll("//[^/@]*@", "//****@");
        return secret ? "****" : value;
    }
}
