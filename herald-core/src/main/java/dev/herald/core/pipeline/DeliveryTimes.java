package dev.herald.core.pipeline;

import dev.herald.core.notification.Preferences.DigestRule;
import dev.herald.core.notification.Preferences.QuietHours;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/**
 * The user's local-time rules as instants: when quiet hours end, when the next digest window
 * closes. Local times are resolved with {@link ZonedDateTime#of}: on a spring-forward day a time in
 * the gap (02:30 in Paris) moves to the same offset after it (03:30), and in an autumn overlap the
 * earlier of the two instants is taken, so no window is skipped or fired twice.
 */
final class DeliveryTimes {
    private DeliveryTimes() {}

    /** When the quiet hours around {@code at} end, or null when {@code at} is not in quiet hours. */
    static Instant quietHoursEnd(QuietHours quiet, Instant at) {
        if (quiet == null || quiet.start().equals(quiet.end())) return null;
        ZonedDateTime local = at.atZone(quiet.zone());
        LocalTime time = local.toLocalTime();
        LocalDate date = local.toLocalDate();
        boolean spansMidnight = quiet.start().isAfter(quiet.end());
        if (!spansMidnight) {
            return !time.isBefore(quiet.start()) && time.isBefore(quiet.end()) ? at(date, quiet.end(), quiet.zone()) : null;
        }
        if (!time.isBefore(quiet.start())) return at(date.plusDays(1), quiet.end(), quiet.zone());
        if (time.isBefore(quiet.end())) return at(date, quiet.end(), quiet.zone());
        return null;
    }

    /** A digest window: rows with the same key (per recipient and channel) go out together at {@code dueAt}. */
    record Window(String key, Instant dueAt) {}

    /** The first window of {@code rule} that closes after {@code at}; null for an instant rule. */
    static Window nextWindow(DigestRule rule, ZoneId zone, Instant at) {
        ZonedDateTime local = at.atZone(zone);
        Instant due = switch (rule.frequency()) {
            case INSTANT -> null;
            case HOURLY -> {
                ZonedDateTime candidate = local.truncatedTo(ChronoUnit.HOURS).withMinute(rule.at().getMinute());
                yield candidate.toInstant().isAfter(at) ? candidate.toInstant() : candidate.plusHours(1).toInstant();
            }
            case DAILY -> {
                Instant candidate = at(local.toLocalDate(), rule.at(), zone);
                yield candidate.isAfter(at) ? candidate : at(local.toLocalDate().plusDays(1), rule.at(), zone);
            }
            case WEEKLY -> {
                LocalDate day = local.toLocalDate().with(TemporalAdjusters.nextOrSame(rule.day()));
                Instant candidate = at(day, rule.at(), zone);
                yield candidate.isAfter(at) ? candidate : at(day.plusWeeks(1), rule.at(), zone);
            }
        };
        return due == null ? null : new Window(rule.frequency().name().toLowerCase(Locale.ROOT) + ":" + due, due);
    }

    private static Instant at(LocalDate date, LocalTime time, ZoneId zone) {
        return ZonedDateTime.of(date, time, zone).toInstant();
    }
}
