package dev.herald.server;

import dev.herald.broker.redis.RedisPresenceRegistry;
import dev.herald.core.deliver.live.HeraldSessionHandler;
import dev.herald.core.route.Hub;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiConsumer;

/** The cluster's heartbeat and dead-node sweep (DESIGN §7), wired apart from Herald to keep it short. */
final class ClusterWiring {
    private ClusterWiring() {
    }

    /**
     * Starts the heartbeat and sweep on their own timer thread (returned, for the caller to shut
     * down). A lapsed heartbeat re-registers this node's sessions and room memberships; users a dead
     * node's purge leaves with no connection anywhere are announced offline to their team, as a
     * disconnect would have been, under the same PRESENCE_TEAM_LIMIT rule.
     */
    static ScheduledExecutorService start(RedisPresenceRegistry presence, HeraldSessionHandler sessions, Hub hub) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("herald-cluster").daemon().factory());
        BiConsumer<String, String> departed = (userId, teamId) -> sessions.presenceNotices().offline(teamId, userId);
        presence.start(timer, () -> {
            sessions.reregisterAll();
            hub.restoreDirectory();
        }, departed);
        return timer;
    }

}
