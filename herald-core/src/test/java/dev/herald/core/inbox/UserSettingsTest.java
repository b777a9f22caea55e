package dev.herald.core.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.memory.MemoryNotificationStore;
import dev.herald.core.notification.Channel;
import dev.herald.core.notification.Preferences;
import dev.herald.core.notification.WebhookUrls;
import dev.herald.core.store.Storage;
import dev.herald.core.testing.MutableClock;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class UserSettingsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final MutableClock clock = MutableClock.at("2026-11-24T10:00:00Z");
    private final Storage storage = new MemoryNotificationStore().storage();
    private final UserSettings settings = new UserSettings(storage.preferences(), storage.contacts(), WebhookUrls.httpsOnly(), clock);

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void aUserWhoNeverSetPreferencesHasTheDefaults() {
        assertThat(settings.preferences("alice")).isEqualTo(Preferences.defaults());
    }

    @Test
    void aPatchKeepsWhatItDoesNotName() throws Exception {
        settings.replacePreferences("alice", json("{\"channels\": {\"sms\": false}}"));

        settings.updatePreferences("alice", json("{\"email\": false}"));

        assertThat(settings.preferences("alice").channels()).containsEntry(Channel.SMS, false).containsEntry(Channel.EMAIL, false);
    }

    @Test
    void aPutReplacesEverything() throws Exception {
        settings.replacePreferences("alice", json("{\"channels\": {\"sms\": false}}"));

        settings.replacePreferences("alice", json("{\"channels\": {\"email\": false}}"));

        assertThat(settings.preferences("alice").allows("x", Channel.SMS)).isTrue();
    }

    @Test
    void aRefusedPatchChangesNothing() throws Exception {
        settings.replacePreferences("alice", json("{\"channels\": {\"sms\": false}}"));

        assertThatThrownBy(() -> settings.updatePreferences("alice", json("{\"channels\": {\"sms\": true}, \"digest\": {\"x\": {}}}")))
                .isInstanceOf(HeraldException.class);

        assertThat(settings.preferences("alice").allows("x", Channel.SMS)).isFalse();
    }

    @Test
    void quietHoursWithoutATimeZoneTakeTheContactsZone() throws Exception {
        settings.replaceContact("alice", json("{\"timezone\": \"America/New_York\"}"));

        Preferences p = settings.replacePreferences("alice", json("{\"quietHours\": {\"start\": \"22:00\", \"end\": \"07:00\"}}"));

        assertThat(p.quietHours().zone()).isEqualTo(ZoneId.of("America/New_York"));
    }

    @Test
    void registeringTheSameTokenTwiceKeepsTheFirstDevice() throws Exception {
        UserSettings.Registered first = settings.addDevice("alice", json("{\"platform\": \"fcm\", \"token\": \"tok-1\"}"));

        UserSettings.Registered again = settings.addDevice("alice", json("{\"platform\": \"fcm\", \"token\": \"tok-1\"}"));

        assertThat(first.created()).isTrue();
        assertThat(again.created()).isFalse();
        assertThat(again.device().id()).isEqualTo(first.device().id());
        assertThat(settings.devices("alice")).hasSize(1);
    }

    @Test
    void givesEachDeviceAUuidAndTheClocksTime() throws Exception {
        UserSettings.Registered r = settings.addDevice("alice", json("{\"platform\": \"fcm\", \"token\": \"tok-1\"}"));

        assertThat(r.device().id()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(r.device().createdAt()).isEqualTo(clock.instant());
    }

    @Test
    void removingAnotherUsersDeviceIsNotFound() throws Exception {
        String bobs = settings.addDevice("bob", json("{\"platform\": \"fcm\", \"token\": \"tok-b\"}")).device().id();

        assertThatThrownBy(() -> settings.removeDevice("alice", bobs))
                .isInstanceOfSatisfying(HeraldException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(settings.devices("bob")).hasSize(1);
    }
}
