package dev.herald.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.notification.Preferences.DigestRule;
import dev.herald.core.notification.Preferences.Frequency;
import dev.herald.core.notification.Preferences.QuietHours;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class DeliveryTimesTest {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final QuietHours NIGHT = new QuietHours(LocalTime.of(22, 0), LocalTime.of(7, 0), PARIS);

    @Test
    void quietHoursAcrossMidnightEndAtSevenLocalTheNextMorning() {
        // 23:30 Paris in winter is 22:30 UTC; 07:00 Paris the next day is 06:00 UTC.
        assertThat(DeliveryTimes.quietHoursEnd(NIGHT, Instant.parse("2026-01-14T22:30:00Z")))
                .isEqualTo(Instant.parse("2026-01-15T06:00:00Z"));
    }

    @Test
    void quietHoursAfterMidnightEndTheSameMorning() {
        assertThat(DeliveryTimes.quietHoursEnd(NIGHT, Instant.parse("2026-01-15T02:00:00Z")))
                .isEqualTo(Instant.parse("2026-01-15T06:00:00Z"));
    }

    @Test
    void daytimeIsNotQuiet() {
        assertThat(DeliveryTimes.quietHoursEnd(NIGHT, Instant.parse("2026-01-15T12:00:00Z"))).isNull();
        assertThat(DeliveryTimes.quietHoursEnd(NIGHT, Instant.parse("2026-01-15T06:00:00Z"))).isNull();
    }

    @Test
    void quietHoursEndAtSevenLocalOnTheNightClocksGoForward() {
        // 29 March 2026: Paris goes from UTC+1 to UTC+2 at 02:00. 07:00 local is then 05:00 UTC.
        assertThat(DeliveryTimes.quietHoursEnd(NIGHT, Instant.parse("2026-03-28T23:00:00Z")))
                .isEqualTo(Instant.parse("2026-03-29T05:00:00Z"));
    }

    @Test
    void quietHoursEndAtSevenLocalOnTheNightClocksGoBack() {
        // 25 October 2026: back to UTC+1 at 03:00. 07:00 local is then 06:00 UTC.
        assertThat(DeliveryTimes.quietHoursEnd(NIGHT, Instant.parse("2026-10-24T21:00:00Z")))
                .isEqualTo(Instant.parse("2026-10-25T06:00:00Z"));
    }

    @Test
    void aDailyDigestClosesAtTheNextNineOClockLocal() {
        DigestRule daily = new DigestRule(Frequency.DAILY, LocalTime.of(9, 0), null);
        DeliveryTimes.Window before = DeliveryTimes.nextWindow(daily, PARIS, Instant.parse("2026-01-15T07:00:00Z"));
        DeliveryTimes.Window after = DeliveryTimes.nextWindow(daily, PARIS, Instant.parse("2026-01-15T08:00:00Z"));
        assertThat(before.dueAt()).isEqualTo(Instant.parse("2026-01-15T08:00:00Z"));
        assertThat(after.dueAt()).isEqualTo(Instant.parse("2026-01-16T08:00:00Z"));
        assertThat(before.key()).isNotEqualTo(after.key());
    }

    @Test
    void aDailyDigestAtATimeThatDoesNotExistOnTheSpringForwardDayMovesPastTheGap() {
        DigestRule at0230 = new DigestRule(Frequency.DAILY, LocalTime.of(2, 30), null);
        // 02:30 does not exist in Paris on 29 March 2026; it becomes 03:30 CEST = 01:30 UTC.
        assertThat(DeliveryTimes.nextWindow(at0230, PARIS, Instant.parse("2026-03-28T23:00:00Z")).dueAt())
                .isEqualTo(Instant.parse("2026-03-29T01:30:00Z"));
    }

    @Test
    void aDailyDigestAtATimeThatHappensTwiceOnTheFallBackDayFiresOnce() {
        DigestRule at0230 = new DigestRule(Frequency.DAILY, LocalTime.of(2, 30), null);
        Instant first = DeliveryTimes.nextWindow(at0230, PARIS, Instant.parse("2026-10-24T22:00:00Z")).dueAt();
        // The earlier 02:30 (CEST, 00:30 UTC); the next window is the day after, not an hour later.
        assertThat(first).isEqualTo(Instant.parse("2026-10-25T00:30:00Z"));
        assertThat(DeliveryTimes.nextWindow(at0230, PARIS, first).dueAt()).isEqualTo(Instant.parse("2026-10-26T01:30:00Z"));
    }

    @Test
    void aWeeklyDigestClosesOnItsDay() {
        DigestRule monday = new DigestRule(Frequency.WEEKLY, LocalTime.of(9, 0), DayOfWeek.MONDAY);
        // Thursday 15 January 2026 → Monday 19 January, 09:00 Paris.
        assertThat(DeliveryTimes.nextWindow(monday, PARIS, Instant.parse("2026-01-15T12:00:00Z")).dueAt())
                .isEqualTo(Instant.parse("2026-01-19T08:00:00Z"));
    }

    @Test
    void anHourlyDigestClosesAtTheTopOfTheNextHour() {
        DigestRule hourly = new DigestRule(Frequency.HOURLY, null, null);
        assertThat(DeliveryTimes.nextWindow(hourly, PARIS, Instant.parse("2026-01-15T12:20:00Z")).dueAt())
                .isEqualTo(Instant.parse("2026-01-15T13:00:00Z"));
    }
}
