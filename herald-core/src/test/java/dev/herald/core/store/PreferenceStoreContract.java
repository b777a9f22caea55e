package dev.herald.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.notification.Channel;
import dev.herald.core.notification.Preferences;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
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
    void findsTheRecipientsOfACreateAtOnceLeavingOutThoseWithout() {
        String amy = user("amy"), bo = user("bo"), never = user("never");
        storage.preferences().put(amy, everything(), now());
        Preferences emailOff = Preferences.defaults().withChannels(Map.of(Channel.EMAIL, false));
        storage.preferences().put(bo, emailOff, now());

        assertThat(storage.preferences().findAll(List.of(amy, never, bo, amy)))
                .containsOnly(Map.entry(amy, everything()), Map.entry(bo, emailOff));
    }

    @Test
    void findsThemAllForAFanOutLargerThanOneQuery() {
        List<String> users = IntStream.range(0, 1_201).mapToObj(i -> user("fan" + i)).toList();
        Preferences emailOff = Preferences.defaults().withChannels(Map.of(Channel.EMAIL, false));
        for (int i = 0; i < users.size(); i += 2) storage.preferences().put(users.get(i), emailOff, now());

        Map<String, Preferences> found = storage.preferences().findAll(users);

        assertThat(found).hasSize(601).allSatisfy((id, p) -> assertThat(p).isEqualTo(emailOff));
        assertThat(found).containsKeys(users.getFirst(), users.getLast()).doesNotContainKey(users.get(1));
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
