package dev.herald.broker.redis;

import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.MaintNotificationsConfig;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The one Redis client of a node, shared by {@link RedisBroker}, {@link RedisPresenceRegistry} and
 * {@link dev.herald.broker.redis.ingest.RedisIngest}; each of them opens its own connections from it and closes them, and the
 * composition root closes this last.
 *
 * <p>Threading: Lettuce runs its own Netty event loops (on the build's Netty 4.2, via the netty-bom),
 * two I/O threads by default. Pub/sub listeners and async completions run on those threads.
 *
 * <p>Two client configurations share these resources, because one set of options cannot suit both:
 * <ul>
 *   <li>commands (publish, presence scripts) time out after {@link RedisConfig#commandTimeout()},
 *       and a PUBLISH that was in flight, or issued while the connection is down, is never
 *       replayed after the reconnect: its future fails by that timeout, so a room message is
 *       delivered at most once (the presence scripts are idempotent and are replayed);</li>
 *   <li>subscriptions never time out: a SUBSCRIBE issued while Redis is away waits in Lettuce's
 *       buffer until the reconnect, then runs after Lettuce's own re-subscription of what was
 *       already confirmed, so the final set is the one the caller asked for, in the caller's order.</li>
 * </ul>
 * Both reconnect automatically with an exponential delay with jitter between
 * {@link RedisConfig#reconnectMin()} and {@link RedisConfig#reconnectMax()}.
 */
public final class RedisConnector implements AutoCloseable {
    private final RedisConfig config;
    private final ClientResources resources;
    private final RedisClient commandClient;
    private final RedisClient pubSubClient;

    private RedisConnector(RedisConfig config) {
        this.config = config;
        long baseMillis = Math.max(1, config.reconnectMin().toMillis());
        this.resources = ClientResources.builder()
                .reconnectDelay(Delay.equalJitter(config.reconnectMin(), config.reconnectMax(), baseMillis, TimeUnit.MILLISECONDS))
                .build();
        RedisURI uri = uri(config);
        this.commandClient = RedisClient.create(resources, uri);
        this.commandClient.setOptions(baseOptions(config)
                .timeoutOptions(TimeoutOptions.enabled(config.commandTimeout()))
                .replayFilter(command -> command.getType() == CommandType.PUBLISH)
                .build());
        this.pubSubClient = RedisClient.create(resources, uri);
        this.pubSubClient.setOptions(baseOptions(config)
                .timeoutOptions(TimeoutOptions.builder().timeoutCommands(false).build())
                .build());
    }

    /** Creates the client; connections are opened by the adapters. */
    public static RedisConnector open(RedisConfig config) {
        return new RedisConnector(config);
    }

    public RedisConfig config() {
        return config;
    }

    private static ClientOptions.Builder baseOptions(RedisConfig config) {
        return ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
                .pingBeforeActivateConnection(true)
                // Maintenance push notifications are a Redis Enterprise feature; plain Redis answers with an error.
                .maintNotificationsConfig(MaintNotificationsConfig.disabled())
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(config.commandTimeout())
                        .keepAlive(true)
                        .build());
    }

    private static RedisURI uri(RedisConfig config) {
        RedisURI.Builder b = RedisURI.Builder.redis(config.host(), config.port())
                .withDatabase(config.database())
                .withSsl(config.tls())
                .withTimeout(config.commandTimeout());
        if (config.password() != null) {
            if (config.username() != null) b.withAuthentication(config.username(), config.password().toCharArray());
            else b.withPassword(config.password().toCharArray());
        }
        return b.build();
    }

    /** Lettuce's timer threads, for short delayed retries that must not block anyone. */
    ScheduledExecutorService scheduler() {
        return resources.eventExecutorGroup();
    }

    /** A request/response connection (thread-safe, multiplexed). */
    public StatefulRedisConnection<String, String> connectCommands() {
        try {
            return commandClient.connect(StringCodec.UTF8);
        } catch (RedisException e) {
            throw unavailable(e);
        }
    }

    /** A request/response connection with binary values (bucket4j keeps its bucket state as bytes). */
    StatefulRedisConnection<String, byte[]> connectBinary() {
        try {
            return commandClient.connect(io.lettuce.core.codec.RedisCodec.of(StringCodec.UTF8, io.lettuce.core.codec.ByteArrayCodec.INSTANCE));
        } catch (RedisException e) {
            throw unavailable(e);
        }
    }

    /** A dedicated pub/sub connection. */
    public StatefulRedisPubSubConnection<String, String> connectPubSub() {
        try {
            return pubSubClient.connectPubSub(StringCodec.UTF8);
        } catch (RedisException e) {
            throw unavailable(e);
        }
    }

    private HeraldException unavailable(RedisException e) {
        // Lettuce's message names host and port only, never the password.
        return new HeraldException(ErrorCode.UNAVAILABLE, "Redis at " + config.host() + ":" + config.port()
                + " is unreachable: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        pubSubClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        commandClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
