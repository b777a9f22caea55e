package dev.herald.server.doctor;

import dev.herald.broker.nats.NatsConfig;
import dev.herald.broker.redis.RedisConfig;
import dev.herald.server.config.ConfigException;
import dev.herald.server.config.Env;
import dev.herald.server.config.HeraldConfig;
import dev.herald.server.config.Secret;
import dev.herald.store.postgres.DatabaseUrl;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code herald doctor} checks, in order: the configuration (as {@code serve} would read it),
 * settings that work on one node but not on several, the store, Redis, NATS and SMTP when they are
 * configured, and the client port. It never changes anything: it does not migrate, create a
 * schema or write a secret (the data directory is only checked for being writable).
 */
public final class Doctor {
    private final Env env;

    public Doctor(Env env) {
        this.env = env;
    }

    public List<Finding> run() {
        List<Finding> findings = new ArrayList<>();
        HeraldConfig config;
        try {
            config = HeraldConfig.from(env);
            findings.add(Finding.ok("configuration", "every variable is valid"));
        } catch (ConfigException e) {
            findings.add(Finding.fail("configuration", e.getMessage()));
            findings.add(Finding.skip("store, Redis, NATS, SMTP", "not checked until the configuration is valid"));
            return findings;
        }
        settings(config, findings);
        findings.add(store(config.storage()));
        findings.add(config.cluster().redisUrl().map(url -> redis(url.value())).orElse(Finding.skip("Redis", "REDIS_URL not set (one node)")));
        findings.add(config.cluster().natsUrl().map(url -> nats(url.value())).orElse(Finding.skip("NATS", "NATS_URL not set")));
        findings.add(env.get("SMTP_URL").filter(v -> !v.isBlank()).map(this::smtp).orElse(Finding.skip("SMTP", "SMTP_URL not set")));
        findings.add(port(config.network().host(), config.network().clientPort()));
        return findings;
    }

    private static void settings(HeraldConfig config, List<Finding> findings) {
        HeraldConfig.Auth auth = config.auth();
        boolean cluster = config.cluster().redisUrl().isPresent() || config.cluster().natsUrl().isPresent();
        if (auth.jwtSecret().isEmpty() && auth.jwksUrl().isEmpty()) {
            findings.add(cluster
                    ? Finding.fail("JWT_SECRET", "not set on a cluster node: each node would sign and check tokens with its own generated secret; set the same JWT_SECRET (or JWT_JWKS_URL) everywhere")
                    : Finding.warn("JWT_SECRET", "not set: tokens use the secret generated in HERALD_DATA_DIR/jwt-secret, fine for one node"));
        }
        if (auth.apiKeys().isEmpty()) {
            findings.add(Finding.warn("HERALD_API_KEYS", "empty: backends can call the server APIs only with a JWT of role service"));
        }
        if (cluster && config.storage().databaseUrl().isEmpty()) {
            findings.add(Finding.fail("DATABASE_URL", "not set on a cluster node: each node would keep its own embedded inbox; point every node at one PostgreSQL"));
        }
        if (config.network().allowedOrigins().contains("*")) {
            findings.add(Finding.warn("ALLOWED_ORIGINS", "* lets any web page open sockets with a user's token; list your origins in production"));
        }
    }

    private static Finding store(HeraldConfig.Storage st) {
        Optional<Secret> url = st.databaseUrl();
        if (url.isEmpty()) {
            Path dir = st.dataDir().toAbsolutePath();
            Path existing = dir;
            while (existing != null && !Files.exists(existing)) existing = existing.getParent();
            if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
                return Finding.fail("store", "embedded store: " + dir + " cannot be created or written (HERALD_DATA_DIR)");
            }
            return Finding.ok("store", "embedded SQLite store in " + dir + (Files.exists(dir) ? "" : " (created at first start)"));
        }
        DatabaseUrl db;
        try {
            db = DatabaseUrl.parse(url.get().value());
        } catch (RuntimeException e) {
            return Finding.fail("store", "DATABASE_URL: " + e.getMessage());
        }
        String where = hostOf(db.jdbcUrl());
        try {
            boolean migrated = Probes.postgresMigrated(db.jdbcUrl(), db.user(), db.password(), st.schema());
            return migrated ? Finding.ok("store", "PostgreSQL at " + where + " answers, schema " + st.schema() + " is migrated")
                    : Finding.warn("store", "PostgreSQL at " + where + " answers, but schema " + st.schema()
                            + " has no migration history yet: run `herald migrate` (serve migrates too)");
        } catch (SQLException e) {
            return Finding.fail("store", "PostgreSQL at " + where + ": " + firstLine(e.getMessage()) + " (SQLSTATE " + e.getSQLState() + ")");
        }
    }

    private static Finding redis(String url) {
        RedisConfig r;
        try {
            r = RedisConfig.fromUrl(url);
        } catch (IllegalArgumentException e) {
            return Finding.fail("Redis", e.getMessage());
        }
        try {
            Probes.redisPing(r.host(), r.port(), r.tls(), r.username(), r.password());
            return Finding.ok("Redis", r.host() + ":" + r.port() + " answered PING");
        } catch (IOException e) {
            return Finding.fail("Redis", r.host() + ":" + r.port() + ": " + why(e));
        }
    }

    private static Finding nats(String url) {
        NatsConfig n;
        try {
            n = NatsConfig.fromUrl(url);
        } catch (IllegalArgumentException e) {
            return Finding.fail("NATS", e.getMessage());
        }
        List<String> answers = new ArrayList<>();
        for (String server : n.servers()) {
            URI uri = URI.create(server);
            String where = uri.getHost() + ":" + (uri.getPort() == -1 ? 4222 : uri.getPort());
            try {
                answers.add(where + " (" + Probes.natsInfo(server) + ")");
            } catch (IOException | IllegalArgumentException e) {
                return Finding.fail("NATS", where + ": " + why(e));
            }
        }
        return Finding.ok("NATS", String.join(", ", answers) + " greeted");
    }

    private Finding smtp(String url) {
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            return Finding.fail("SMTP", "SMTP_URL is not a URL (smtp://host:587 or smtps://host:465)");
        }
        boolean tls = "smtps".equalsIgnoreCase(uri.getScheme());
        if (uri.getHost() == null || !(tls || "smtp".equalsIgnoreCase(uri.getScheme()))) {
            return Finding.fail("SMTP", "SMTP_URL must look like smtp://host:587 or smtps://host:465");
        }
        int port = uri.getPort() != -1 ? uri.getPort() : tls ? 465 : 25;
        try {
            return Finding.ok("SMTP", uri.getHost() + ":" + port + " greeted: " + Probes.smtpBanner(uri.getHost(), port, tls));
        } catch (IOException e) {
            return Finding.fail("SMTP", uri.getHost() + ":" + port + ": " + why(e));
        }
    }

    private static Finding port(String host, int port) {
        if (port == 0) return Finding.skip("client port", "SOCKETIO_PORT=0 picks a free port at start");
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(host, port));
            return Finding.ok("client port", host + ":" + port + " is free");
        } catch (IOException e) {
            // Under socket activation (deploy/systemd/herald.socket) systemd holds the port between restarts.
            return Finding.warn("client port", host + ":" + port + " is in use (a Herald already running here,"
                    + " or systemd's herald.socket holding it for the next one?): " + why(e));
        }
    }

    private static String hostOf(String jdbcUrl) {
        String rest = jdbcUrl.replaceFirst("^jdbc:postgresql://", "");
        int q = rest.indexOf('?');
        return q < 0 ? rest : rest.substring(0, q);
    }

    private static String why(Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : firstLine(m);
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
