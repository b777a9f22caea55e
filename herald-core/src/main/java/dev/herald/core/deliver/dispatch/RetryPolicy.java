package dev.herald.core.deliver.dispatch;

import dev.herald.core.notification.Channel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * When a failed send is tried again, and when it is given up: the backoff schedule (seed 001:
 * 1 s, 5 s, 30 s, 5 min; the last step repeats), each delay spread by ±{@code jitter} so a
 * provider outage does not come back as a synchronised wave, and a per-channel attempt limit
 * (DESIGN §5: email 3, push 5, sms 3, webhook 8) after which the delivery is a dead letter.
 *
 * @param jitter 0 (none) to 0.5
 */
public record RetryPolicy(List<Duration> schedule, Map<Channel, Integer> maxAttempts, double jitter) {
    public static final List<Duration> DEFAULT_SCHEDULE =
            List.of(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(5));

    public RetryPolicy {
        Objects.requireNonNull(schedule, "schedule");
        if (schedule.isEmpty()) throw new IllegalArgumentException("DELIVERY_RETRY_SCHEDULE needs at least one delay");
        for (Duration d : schedule) {
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("DELIVERY_RETRY_SCHEDULE delays must be positive");
        }
        schedule = List.copyOf(schedule);
        Map<Channel, Integer> limits = new EnumMap<>(defaultLimits());
        if (maxAttempts != null) limits.putAll(maxAttempts);
        for (var e : limits.entrySet()) {
            if (e.getValue() < 1) throw new IllegalArgumentException(e.getKey().name() + "_MAX_ATTEMPTS must be 1 or more");
        }
        maxAttempts = Map.copyOf(limits);
        if (jitter < 0 || jitter > 0.5) throw new IllegalArgumentException("jitter must be between 0 and 0.5");
    }

    public static RetryPolicy defaults() {
        return new RetryPolicy(DEFAULT_SCHEDULE, Map.of(), 0.2);
    }

    private static Map<Channel, Integer> defaultLimits() {
        Map<Channel, Integer> m = new EnumMap<>(Channel.class);
        m.put(Channel.IN_APP, 1);
        m.put(Channel.EMAIL, 3);
        m.put(Channel.PUSH, 5);
        m.put(Channel.SMS, 3);
        m.put(Channel.WEBHOOK, 8);
        return m;
    }

    /** Parses {@code 1s,5s,30s,5m} (units ms, s, m, h). */
    public static List<Duration> parseSchedule(String text) {
        List<Duration> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            try {
                if (p.endsWith("ms")) out.add(Duration.ofMillis(Long.parseLong(p.substring(0, p.length() - 2))));
                else if (p.endsWith("s")) out.add(Duration.ofSeconds(Long.parseLong(p.substring(0, p.length() - 1))));
                else if (p.endsWith("m")) out.add(Duration.ofMinutes(Long.parseLong(p.substring(0, p.length() - 1))));
                else if (p.endsWith("h")) out.add(Duration.ofHours(Long.parseLong(p.substring(0, p.length() - 1))));
                else throw new IllegalArgumentException("'" + p + "' needs a unit: ms, s, m or h");
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + p + "' is not a duration such as 5s or 5m");
            }
        }
        return out;
    }

    public int maxAttempts(Channel channel) {
        return maxAttempts.get(channel);
    }

    /** The wait after the {@code attempt}-th failed send (1-based), jittered. */
    public Duration backoff(int attempt, RandomGenerator random) {
        Duration base = schedule.get(Math.min(Math.max(attempt, 1), schedule.size()) - 1);
        if (jitter == 0) return base;
        double factor = 1 + jitter * (2 * random.nextDouble() - 1);
        return Duration.ofMillis(Math.max(1, Math.round(base.toMillis() * factor)));
    }
}
