package dev.herald.server.config;

import dev.herald.broker.nats.ingest.JetStreamIngestConfig;
import dev.herald.broker.redis.ingest.RedisSendIngest;
import dev.herald.broker.redis.ingest.RedisStreamIngest;
import dev.herald.core.ingest.rules.EventRules;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Durable ingestion (DESIGN §4): the JetStream consumer of create requests ({@code NATS_INGEST}),
 * the event rules and their consumer ({@code HERALD_RULES_FILE}), Redis {@code notifications:send}
 * ({@code REDIS_INGEST_SEND}) and the Redis Streams group ({@code REDIS_INGEST_STREAM}). Each is
 * off unless asked for, and asking for one without its broker URL is refused at start.
 *
 * @param nats empty unless {@code NATS_INGEST=true}
 * @param rules empty unless {@code HERALD_RULES_FILE} is set; read and checked here, at start
 * @param rulesConsumer the JetStream consumer of the rules' subjects (present with {@code rules})
 */
public record IngestSettings(Optional<JetStreamIngestConfig> nats, Optional<EventRules> rules,
                             Optional<JetStreamIngestConfig> rulesConsumer, Optional<String> redisSendChannel,
                             Optional<RedisStream> redisStream) {

    /** @param claimIdle entries another consumer left unacknowledged this long are taken over */
    public record RedisStream(String key, String group, Duration claimIdle) {}

    static IngestSettings from(Env env, boolean hasNats, boolean hasRedis) {
        boolean natsIngest = env.bool("NATS_INGEST", false);
        Optional<String> rulesFile = env.get("HERALD_RULES_FILE");
        if ((natsIngest || rulesFile.isPresent()) && !hasNats) {
            throw new ConfigException(natsIngest ? "NATS_INGEST" : "HERALD_RULES_FILE", "needs NATS_URL (the events arrive over NATS JetStream)");
        }
        boolean create = env.bool("NATS_CREATE_STREAM", false);
        String retention = env.string("NATS_STREAM_RETENTION", "limits").toLowerCase(java.util.Locale.ROOT);
        if (!List.of("limits", "workqueue", "interest").contains(retention)) {
            throw new ConfigException("NATS_STREAM_RETENTION", "must be limits, workqueue or interest, got '" + retention + "'");
        }
        int replicas = env.integer("NATS_STREAM_REPLICAS", 1, 1, 5);
        int maxDeliver = env.integer("NATS_MAX_DELIVER", 3, 1, 1000);
        Duration ackWait = env.seconds("NATS_ACK_WAIT_SECONDS", Duration.ofSeconds(30), 1, 3600);
        String dlq = env.string("NATS_DLQ_PREFIX", JetStreamIngestConfig.DEFAULT_DLQ_PREFIX);
        if (!dlq.endsWith(".") || dlq.contains("*") || dlq.contains(">")) {
            throw new ConfigException("NATS_DLQ_PREFIX", "must be a subject prefix ending with a dot, e.g. notifications.dlq.");
        }
        JetStreamIngestConfig base = build("NATS_STREAM", () -> JetStreamIngestConfig.defaults()
                .withCreation(create, retention, replicas).withDelivery(maxDeliver, ackWait).withDlqPrefix(dlq));
        Optional<JetStreamIngestConfig> nats = Optional.empty();
        if (natsIngest) {
            List<String> subjects = env.list("NATS_SUBJECTS");
            nats = Optional.of(build("NATS_STREAM", () -> base.withStream(env.string("NATS_STREAM", JetStreamIngestConfig.DEFAULT_STREAM),
                    subjects.isEmpty() ? List.of(JetStreamIngestConfig.DEFAULT_SUBJECT) : subjects)
                    .withDurable(env.string("NATS_CONSUMER", JetStreamIngestConfig.DEFAULT_DURABLE))));
        }
        Optional<EventRules> rules = rulesFile.map(f -> RulesFile.load(Path.of(f)));
        Optional<JetStreamIngestConfig> rulesConsumer = rules.map(r -> build("NATS_RULES_STREAM", () ->
                base.withStream(env.string("NATS_RULES_STREAM", "HERALD_EVENTS"), r.subjects())
                        .withDurable(env.string("NATS_RULES_CONSUMER", "herald-rules"))));
        if (nats.isPresent() && rulesConsumer.isPresent() && nats.get().stream().equals(rulesConsumer.get().stream())) {
            throw new ConfigException("NATS_RULES_STREAM", "must differ from NATS_STREAM (events are not create requests)");
        }

        boolean send = env.bool("REDIS_INGEST_SEND", false), stream = env.bool("REDIS_INGEST_STREAM", false);
        if ((send || stream) && !hasRedis) throw new ConfigException(send ? "REDIS_INGEST_SEND" : "REDIS_INGEST_STREAM", "needs REDIS_URL");
        Optional<String> channel = send ? Optional.of(env.string("REDIS_SEND_CHANNEL", RedisSendIngest.DEFAULT_CHANNEL)) : Optional.empty();
        Optional<RedisStream> redisStream = Optional.empty();
        if (stream) {
            Duration idle = env.seconds("REDIS_STREAM_CLAIM_IDLE_SECONDS", Duration.ofSeconds(60), 0, 86_400);
            if (idle.isZero()) throw new ConfigException("REDIS_STREAM_CLAIM_IDLE_SECONDS", "must be more than 0");
            redisStream = Optional.of(new RedisStream(env.string("REDIS_STREAM_KEY", RedisStreamIngest.DEFAULT_STREAM),
                    env.string("REDIS_STREAM_GROUP", RedisStreamIngest.DEFAULT_GROUP), idle));
        }
        return new IngestSettings(nats, rules, rulesConsumer, channel, redisStream);
    }

    private static JetStreamIngestConfig build(String variable, java.util.function.Supplier<JetStreamIngestConfig> config) {
        try {
            return config.get();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(variable, e.getMessage());
        }
    }
}
