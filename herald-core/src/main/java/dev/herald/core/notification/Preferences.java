package dev.herald.core.notification;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A user's delivery preferences, in the DESIGN §5 shape: global channel switches, switches per
 * notification type and channel, quiet hours in a time zone, and a digest rule per type ({@code *}
 * for every other type). What is not said is allowed: a channel or type missing from the maps is on,
 * a type without a digest rule is instant.
 *
 * @param quietHours null when the user has none
 */
public record Preferences(Map<Channel, Boolean> channels, Map<String, Map<Channel, Boolean>> types,
                          QuietHours quietHours, Map<String, DigestRule> digest) {
    public static final String ANY_TYPE = "*";

    public Preferences {
        channels = channels == null ? Map.of() : Map.copyOf(channels);
        Map<String, Map<Channel, Boolean>> t = new LinkedHashMap<>();
        if (types != null) types.forEach((type, byChannel) -> t.put(type, Map.copyOf(byChannel)));
        types = Map.copyOf(t);
        digest = digest == null ? Map.of() : Map.copyOf(digest);
    }

    /** Everything on, no quiet hours, every type instant. */
    public static Preferences defaults() {
        return new Preferences(Map.of(), Map.of(), null, Map.of());
    }

    /** Whether the user lets {@code type} reach them on {@code channel} (both switches must be on). */
    public boolean allows(String type, Channel channel) {
        if (!channels.getOrDefault(channel, true)) return false;
        Map<Channel, Boolean> forType = types.get(type);
        return forType == null || forType.getOrDefault(channel, true);
    }

    /** Which switch refused {@code type} on {@code channel}: {@code channel_disabled} or {@code type_disabled}. */
    public String refusal(String type, Channel channel) {
        return channels.getOrDefault(channel, true) ? "type_disabled" : "channel_disabled";
    }

    /** The digest rule of {@code type}, else the {@code *} rule, else instant. */
    public DigestRule digestFor(String type) {
        DigestRule rule = digest.get(type);
        if (rule == null) rule = digest.get(ANY_TYPE);
        return rule == null ? DigestRule.INSTANT : rule;
    }

    /** These preferences with every channel switch in {@code changes} applied over the current ones. */
    public Preferences withChannels(Map<Channel, Boolean> changes) {
        Map<Channel, Boolean> merged = new EnumMap<>(Channel.class);
        merged.putAll(channels);
        merged.putAll(changes);
        return new Preferences(merged, types, quietHours, digest);
    }

    /**
     * Quiet hours: from {@code start} to {@code end} local time in {@code zone}; an end before the
     * start spans midnight (22:00–07:00). Equal start and end mean no quiet time.
     */
    public record QuietHours(LocalTime start, LocalTime end, ZoneId zone) {
        public QuietHours {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
            Objects.requireNonNull(zone, "zone");
        }
    }

    public enum Frequency { INSTANT, HOURLY, DAILY, WEEKLY }

    /**
     * When held notifications of a type go out together: {@code at} local time for daily and weekly
     * (the minute past the hour for hourly), {@code day} for weekly. Null fields take the defaults
     * (09:00, Monday).
     */
    public record DigestRule(Frequency frequency, LocalTime at, DayOfWeek day) {
        public static final DigestRule INSTANT = new DigestRule(Frequency.INSTANT, null, null);

        public DigestRule {
            Objects.requireNonNull(frequency, "frequency");
            if (at == null) at = frequency == Frequency.HOURLY ? LocalTime.MIDNIGHT : LocalTime.of(9, 0);
            if (day == null) day = DayOfWeek.MONDAY;
        }

        public boolean instant() {
            return frequency == Frequency.INSTANT;
        }
    }
}
