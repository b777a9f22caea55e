package dev.herald.server;

import dev.herald.broker.nats.ingest.JetStreamIngest;
import dev.herald.broker.redis.RedisConnector;
import dev.herald.broker.redis.ingest.RedisSendIngest;
import dev.herald.broker.redis.ingest.RedisStreamIngest;
import dev.herald.core.ingest.CreateRequestHandler;
import dev.herald.core.ingest.IngestDeadLetters;
import dev.herald.core.ingest.NotificationIntake;
import dev.herald.core.HeraldException;
import dev.herald.core.ingest.rules.EventRule;
import dev.herald.core.ingest.rules.EventRuleHandler;
import dev.herald.core.ingest.rules.EventRules;
import dev.herald.core.notification.Channel;
import dev.herald.server.config.ConfigException;
import dev.herald.server.config.IngestSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Durable ingestion's wiring: every configured source (JetStream create requests, event rules over
 * JetStream, Redis {@code notifications:send}, the Redis Streams group) feeds the one intake and
 * keeps its poison messages in {@code deadLetters}. Called once the pipeline is running; each
 * consumer is handed to {@code closeLater} as soon as it started, so a failed start closes what ran.
 */
final class IngestWiring {
    /** Scopes the idempotency keys of broker messages, as a service id scopes REST's. */
    static final String NATS_CALLER = "nats", RULES_CALLER = "rules", REDIS_CALLER = "redis";
    private static final Duration SEND_CLAIM = Duration.ofSeconds(10);

    private IngestWiring() {}

    static void checkChannels(EventRules rules, Set<Channel> configured) {
        for (EventRule rule : rules.rules()) {
            for (String name : rule.notification().channels()) {
                Channel channel;
                try {
                    channel = Channel.parse("channels", name);
                } catch (HeraldException e) {
                    throw new ConfigException("HERALD_RULES_FILE", "rule '" + rule.name() + "': " + e.getMessage());
                }
                if (!configured.contains(channel)) {
                    throw new ConfigException("HERALD_RULES_FILE", "rule '" + rule.name() + "' sends by " + name
                            + ", which this server has no settings for: configure it or take it out of the rule");
                }
            }
        }
    }

    /**
     * @param nats the NATS connection when {@code NATS_URL} is set, else null
     * @param redis the Redis connector when {@code REDIS_URL} is set, else null
     * @param channels the delivery channels this server has settings for
     * @throws ConfigException when a rule names a channel that is not configured (its every event would be refused)
     */
    static void start(IngestSettings settings, io.nats.client.Connection nats, RedisConnector redis, NotificationIntake intake,
                      Set<Channel> channels, IngestDeadLetters deadLetters, String nodeId, Clock clock, MeterRegistry meters,
                      Consumer<AutoCloseable> closeLater) {
        settings.rules().ifPresent(rules -> checkChannels(rules, channels));
        settings.nats().ifPresent(c -> {
            JetStreamIngest ingest = new JetStreamIngest(nats, c, new CreateRequestHandler(intake, NATS_CALLER), deadLetters,
                    clock, meters, "nats");
            ingest.start();
            closeLater.accept(ingest);
        });
        settings.rulesConsumer().ifPresent(c -> {
            JetStreamIngest ingest = new JetStreamIngest(nats, c, new EventRuleHandler(intake, settings.rules().orElseThrow(),
                    RULES_CALLER), deadLetters, clock, meters, "rules");
            ingest.start();
            closeLater.accept(ingest);
        });
        settings.redisSendChannel().ifPresent(channel -> {
            RedisSendIngest ingest = new RedisSendIngest(redis, channel, RedisSendIngest.DEFAULT_CLAIM_PREFIX, SEND_CLAIM,
                    new CreateRequestHandler(intake, REDIS_CALLER), deadLetters, clock, meters);
            ingest.start();
            closeLater.accept(ingest);
        });
        settings.redisStream().ifPresent(s -> {
            RedisStreamIngest ingest = new RedisStreamIngest(redis, s.key(), s.group(), nodeId, s.claimIdle(),
                    new CreateRequestHandler(intake, REDIS_CALLER), deadLetters, clock, meters);
            ingest.start();
            closeLater.accept(ingest);
        });
    }
}
