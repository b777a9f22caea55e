package dev.herald.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.notification.Channel;
import dev.herald.core.notification.Preferences;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What every {@link PreferenceStore} must do. */
public abstract class PreferenceStoreContract extends PortContract {
    private static Preferences everything() {
        return new Preferences(Map.of(Channel.SMS, false, Channel.EMAIL, true),
                Map.of("marketing", Map.of(Channel.EMAIL, false), "comment", Map.of(Channel.PUSH, false, Channel.IN_APP, true)),
                new Preferences.QuietHours(LocalTime.of(22, 0), LocalTime.of(7, 30), ZoneId.of("Europe/Paris")),
                Map.of("comment", new Preferences.DigestRule(Preferences.Frequency.DAILY, LocalTime.of(9, 0), null),
                        "weekly-report", new Preferences.DigestRule(Preferences.Frequency.WEEKLY, LocalTime.of(8, 15), DayOfWeek.FRIDAY),
                        Preferences.ANY_TYPE, Preferences.DigestRule.INSTANT));
    }

    @Test
    void answersEmptyForAUserWhoNeverSetAny() {
        assertThat(storage.preferences().find(user("amy"))).isEmpty();
    }

    @Test
    void keepsEveryPartOfTheDocument() {
        String bo = user("bo");

        storage.preferences().put(bo, everything(), now());

        assertThat(storage.preferences().find(bo)).contains(everything());
    }

    @Test
    void replacesTheWholeDocument() {
        String cy = user("cy");
        storage.preferences().put(cy, everything(), now());
        Preferences onlyEmailOff = Preferences.defaults().withChannels(Map.of(Channel.EMAIL, false));

        storage.preferences().put(cy, onlyEmailOff, now());

        assertThat(storage.preferences().find(cy)).contains(onlyEmailOff);
    }

    @Test
    void keepsOneDocumentPerUser() {
        String di = user("di"), ed = user("ed");
        storage.preferences().put(di, everything(), now());

        storage.preferences().put(ed, Preferences.defaults(), now());

        assertThat(storage.preferences().find(di)).contains(everything());
        assertThat(storage.preferences().find(ed)).contains(Preferences.defaults());
    }
}
