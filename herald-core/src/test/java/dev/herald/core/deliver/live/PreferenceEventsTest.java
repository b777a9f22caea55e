package dev.herald.core.deliver.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.core.inbox.UserSettings;
import dev.herald.core.memory.MemoryBroker;
import dev.herald.core.memory.MemoryNotificationStore;
import dev.herald.core.memory.MemoryPresenceRegistry;
import dev.herald.core.notification.Channel;
import dev.herald.core.notification.WebhookUrls;
import dev.herald.core.route.Hub;
import dev.herald.core.route.RoomRules;
import dev.herald.core.store.Storage;
import dev.herald.core.testing.FakeSession;
import dev.herald.core.testing.MutableClock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class PreferenceEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final MutableClock clock = MutableClock.at("2026-11-24T10:00:00Z");
    private final Hub hub = new Hub(new MemoryBroker());
    private final Storage storage = new MemoryNotificationStore().storage();
    private final UserSettings settings = new UserSettings(storage.preferences(), storage.contacts(), WebhookUrls.httpsOnly(), clock);
    private final HeraldSessionHandler sessions = new HeraldSessionHandler("node", hub, new MemoryPresenceRegistry(),
            new RoomRules(null), new ClientLimits(100, 5), clock, ConnectionObserver.NONE);
    private final List<String> replies = new CopyOnWriteArrayList<>();
    private final FakeSession alice = FakeSession.of("alice", "team");

    PreferenceEventsTest() {
        hub.start();
        new PreferenceEvents(settings).registerOn(sessions);
    }

    private void emit(String data, boolean ack) throws Exception {
        sessions.event(alice, new ClientEvent(PreferenceEvents.UPDATE, JSON.readTree(data), ack ? replies::add : null));
    }

    private JsonNode reply() throws Exception {
        assertThat(replies).hasSize(1);
        return JSON.readTree(replies.getFirst());
    }

    @Test
    void seed001SwitchesChangeThoseChannelsAndAnswerTheWholeDocument() throws Exception {
        emit("{\"email\": true, \"push\": false, \"inApp\": true}", true);

        JsonNode answer = reply();
        assertThat(answer.get("ok").asBoolean()).isTrue();
        assertThat(answer.get("preferences").get("channels")).isEqualTo(JSON.readTree(
                "{\"inApp\": true, \"email\": true, \"push\": false, \"sms\": true, \"webhook\": true}"));
        assertThat(settings.preferences("alice").allows("any", Channel.PUSH)).isFalse();
    }

    @Test
    void mergesIntoWhatTheUserSetBefore() throws Exception {
        emit("{\"quietHours\": {\"start\": \"22:00\", \"end\": \"07:00\", \"timezone\": \"Europe/Paris\"}}", false);

        emit("{\"push\": false}", true);

        assertThat(reply().get("preferences").get("quietHours").get("timezone").asText()).isEqualTo("Europe/Paris");
    }

    @Test
    void refusesBadInputThroughTheAckNamingTheField() throws Exception {
        emit("{\"quietHours\": {\"start\": \"25:00\", \"end\": \"07:00\"}}", true);

        JsonNode error = reply().get("error");
        assertThat(error.get("code").asText()).isEqualTo("INVALID_ARGUMENT");
        assertThat(error.get("message").asText()).startsWith("quietHours.start: must be HH:MM");
    }

    @Test
    void refusesBadInputWithAnErrorEventWhenNoAckWasAsked() throws Exception {
        emit("{\"channels\": {\"fax\": true}}", false);

        JsonNode error = JSON.readTree(alice.sent("error").getFirst().json());
        assertThat(error.get("code").asText()).isEqualTo("INVALID_ARGUMENT");
        assertThat(error.get("event").asText()).isEqualTo("updatePreferences");
        assertThat(error.get("message").asText()).startsWith("channels.fax: unknown channel");
    }
}
