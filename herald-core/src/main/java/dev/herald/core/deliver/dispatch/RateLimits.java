package dev.herald.core.deliver.dispatch;

import dev.herald.core.notification.Channel;
import java.util.EnumMap;
import java.util.Map;

/**
 * Per-user, per-channel send limits per clock hour (seed 004: email 10, sms 5, push 50); a channel
 * without a limit is unlimited (webhook unless set). Windows are fixed UTC hours, so every node
 * counts the same window: a user's 11th email of 08:00-09:00 waits for 09:00.
 */
public record RateLimits(Map<Channel, Integer> perHour) {
    public RateLimits {
        Map<Channel, Integer> copy = new EnumMap<>(Channel.class);
        perHour.forEach((channel, limit) -> {
            if (limit == null || limit < 1) throw new IllegalArgumentException(channel.wire() + " limit must be 1 or more");
            if (channel == Channel.IN_APP) throw new IllegalArgumentException("in-app is not rate limited");
            copy.put(channel, limit);
        });
        perHour = Map.copyOf(copy);
    }

    public static RateLimits none() {
        return new RateLimits(Map.of());
    }

    /** Seed 004's defaults: email 10, sms 5, push 50 per hour; webhook unlimited. */
    public static RateLimits defaults() {
        return new RateLimits(Map.of(Channel.EMAIL, 10, Channel.SMS, 5, Channel.PUSH, 50));
    }

    /** The limit of {@code channel} per hour, or 0 when it has none. */
    public int of(Channel channel) {
        return perHour.getOrDefault(channel, 0);
    }
}
