package dev.herald.server.config;

import java.time.Duration;

/**
 * How nodes notice each other's death (DESIGN §7): {@code CLUSTER_NODE_TTL_SECONDS} (default 3,
 * fractions allowed, 1 to 300). Each node writes its heartbeat every TTL/3 and sweeps the registry
 * as often; a node whose heartbeat is older than the TTL is dead, so a node killed with
 * {@code kill -9} leaves the registry within TTL × 4/3 (4 s by default). A live node that cannot
 * reach Redis or stalls for longer than the TTL is purged too, and re-registers its sessions at
 * its next heartbeat: a shorter TTL notices deaths sooner and mistakes a pause for one sooner.
 *
 * <p>{@code CLUSTER_PREFIX} (default {@code herald}) names one cluster's keys and subjects, so
 * several clusters (or test runs) can share a Redis and a NATS: Redis keys start with
 * {@code <prefix>:}, NATS room subjects with {@code <prefix>.room.}.
 */
public record ClusterSettings(Duration nodeTtl, String prefix) {
    public static final Duration DEFAULT_NODE_TTL = Duration.ofSeconds(3);

    static ClusterSettings from(Env env) {
        String prefix = env.string("CLUSTER_PREFIX", "herald");
        if (!prefix.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new ConfigException("CLUSTER_PREFIX", "must be 1 to 64 letters, digits, - or _");
        }
        return new ClusterSettings(env.seconds("CLUSTER_NODE_TTL_SECONDS", DEFAULT_NODE_TTL, 1, 300), prefix);
    }

    /** The prefix of every Redis key of this cluster. */
    public String redisPrefix() {
        return prefix + ":";
    }

    /** The prefix of the NATS subjects that carry this cluster's rooms. */
    public String natsPrefix() {
        return prefix + ".room.";
    }
}
