package dev.herald.broker.nats;

import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How to reach NATS, read from {@code NATS_URL}: one or more comma-separated
 * {@code nats://[user:password@]host[:port]} (or {@code tls://}) servers. Credentials in the URL
 * are handled by jnats and never shown by {@link #toString()}.
 *
 * <p>{@link #connect} keeps reconnecting for ever, waiting {@code reconnectWait} plus a random
 * jitter of up to {@code reconnectJitter} between attempts, and re-sends every subscription after a
 * reconnect (jnats does this).
 */
public record NatsConfig(List<String> servers, String connectionName, Duration connectTimeout,
                         Duration reconnectWait, Duration reconnectJitter) {
    private static final Logger log = LoggerFactory.getLogger(NatsConfig.class);

    public NatsConfig {
        Objects.requireNonNull(servers, "servers");
        if (servers.isEmpty()) throw new IllegalArgumentException("NATS_URL is empty");
        servers = List.copyOf(servers);
        for (String s : servers) checkServer(s);
        connectionName = connectionName == null || connectionName.isBlank() ? "herald" : connectionName;
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(reconnectWait, "reconnectWait");
        Objects.requireNonNull(reconnectJitter, "reconnectJitter");
        if (connectTimeout.isNegative() || connectTimeout.isZero()) throw new IllegalArgumentException("NATS connect timeout must be positive");
        if (reconnectWait.isNegative() || reconnectJitter.isNegative()) throw new IllegalArgumentException("NATS reconnect delays must not be negative");
    }

    /** Parses {@code NATS_URL}; messages name the variable, never echo the URL. */
    public static NatsConfig fromUrl(String url) {
        if (url == null || url.isBlank()) throw new IllegalArgumentException("NATS_URL is empty");
        List<String> servers = new ArrayList<>();
        for (String part : url.split(",")) if (!part.isBlank()) servers.add(part.trim());
        return new NatsConfig(servers, "herald", Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofMillis(500));
    }

    private static void checkServer(String server) {
        URI uri;
        try {
            uri = new URI(server);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("NATS_URL holds a server that is not a valid URL");
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equals("nats") || scheme.equals("tls") || scheme.equals("opentls")))
            throw new IllegalArgumentException("NATS_URL servers must start with nats:// or tls://");
        if (uri.getHost() == null) throw new IllegalArgumentException("NATS_URL holds a server without a host");
    }

    public NatsConfig withReconnect(Duration wait, Duration jitter) {
        return new NatsConfig(servers, connectionName, connectTimeout, wait, jitter);
    }

    /** Connects (blocking, up to {@code connectTimeout} per server). */
    public Connection connect() {
        Options options = Options.builder()
                .servers(servers.toArray(String[]::new))
                .connectionName(connectionName)
                .connectionTimeout(connectTimeout)
                .maxReconnects(-1)
                .reconnectWait(reconnectWait)
                .reconnectJitter(reconnectJitter)
                .connectionListener((conn, event) -> {
                    if (event == ConnectionListener.Events.DISCONNECTED) log.warn("NATS connection lost; reconnecting");
                    else if (event == ConnectionListener.Events.RECONNECTED) log.info("NATS connection restored");
                })
                .build();
        try {
            return Nats.connect(options);
        } catch (IOException e) {
            throw new HeraldException(ErrorCode.UNAVAILABLE, "NATS is unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HeraldException(ErrorCode.UNAVAILABLE, "Interrupted while connecting to NATS", e);
        }
    }

    @Override
    public String toString() {
        List<String> shown = servers.stream().map(NatsConfig::redact).toList();
        return "NatsConfig[servers=" + shown + ", name=" + connectionName + "]";
    }

    private static String redact(String server) {
        try {
            URI u = new URI(server);
            if (u.getUserInfo() == null) return server;
            return u.getScheme() + "://****@" + u.getHost() + (u.getPort() == -1 ? "" : ":" + u.getPort());
        } catch (URISyntaxException e) {
            return "****";
        }
    }
}
