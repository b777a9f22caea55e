package dev.herald.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.deliver.live.LiveNotifier;
import dev.herald.core.memory.MemoryBroker;
import dev.herald.core.memory.MemoryNotificationStore;
import dev.herald.core.notification.Channel;
import dev.herald.core.notification.Contact;
import dev.herald.core.notification.CreateNotification.Routing;
import dev.herald.core.notification.CreateNotification;
import dev.herald.core.notification.Created;
import dev.herald.core.notification.Delivery;
import dev.herald.core.notification.DeliveryStatus;
import dev.herald.core.notification.Preferences.DigestRule;
import dev.herald.core.notification.Preferences.Frequency;
import dev.herald.core.notification.Preferences.QuietHours;
import dev.herald.core.notification.Preferences;
import dev.herald.core.route.Hub;
import dev.herald.core.store.DeliveryQuery;
import dev.herald.core.store.Storage;
import dev.herald.core.testing.MutableClock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The preference filter as a create sees it, on the memory store with a hand-moved clock. */
class PreferenceRoutingTest {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    // 23:30 in Paris (winter, UTC+1).
    private final MutableClock clock = MutableClock.at("2026-01-14T22:30:00Z");
    private final MemoryNotificationStore store = new MemoryNotificationStore();
    private final Storage storage = store.storage();
    private final NotificationPipeline pipeline = new NotificationPipeline(storage, new LiveNotifier(new Hub(new MemoryBroker())),
            clock, PipelineConfig.defaults().withChannels(Set.of(Channel.WEBHOOK, Channel.EMAIL)));

    PreferenceRoutingTest() {
        storage.contacts().putContact(new Contact("amy", "amy@example.com", null, "fr-FR", PARIS,
                "https://hooks.example.com/amy"), clock.instant());
    }

    private Created send(String type, String priority, String... channels) {
        return pipeline.create(CreateNotification.to("amy", type, "Title", "Body").withPriority(priority)
                .withRouting(new Routing(List.of(channels), null, null)));
    }

    private List<Delivery> deliveries(Created c) {
        return storage.outbox().find(DeliveryQuery.ofNotification(c.ids().getFirst()));
    }

    private void prefer(Preferences p) {
        storage.preferences().put("amy", p, clock.instant());
    }

    @Test
    void skipsATypeTheUserSwitchedOffOnOneChannelAndSaysWhy() {
        prefer(new Preferences(Map.of(), Map.of("marketing", Map.of(Channel.WEBHOOK, false)), null, Map.of()));
        Created c = send("marketing", "medium", "inApp", "webhook");
        assertThat(deliveries(c)).singleElement().satisfies(d -> {
            assertThat(d.target().channel()).isEqualTo(Channel.WEBHOOK);
            assertThat(d.status()).isEqualTo(DeliveryStatus.SKIPPED);
            assertThat(d.state().reason()).isEqualTo("type_disabled");
        });
        assertThat(c.notifications()).hasSize(1);
    }

    @Test
    void keepsANotificationOutOfTheInboxWhenInAppIsOffUnlessItIsUrgent() {
        prefer(new Preferences(Map.of(Channel.IN_APP, false), Map.of(), null, Map.of()));
        Created quiet = send("comment", "medium", "inApp");
        Created urgent = send("comment", "urgent", "inApp");
        assertThat(quiet.notifications()).isEmpty();
        assertThat(deliveries(quiet)).singleElement().satisfies(d -> assertThat(d.state().reason()).isEqualTo("channel_disabled"));
        assertThat(urgent.notifications()).hasSize(1);
    }

    @Test
    void holdsAMediumNotificationUntilQuietHoursEndAtSevenParisTime() {
        prefer(new Preferences(Map.of(), Map.of(), new QuietHours(LocalTime.of(22, 0), LocalTime.of(7, 0), PARIS), Map.of()));
        Delivery held = deliveries(send("comment", "medium", "webhook")).getFirst();
        assertThat(held.status()).isEqualTo(DeliveryStatus.HELD);
        assertThat(held.state().reason()).isEqualTo("quiet_hours");
        assertThat(held.state().dueAt()).isEqualTo(Instant.parse("2026-01-15T06:00:00Z"));
    }

    @Test
    void letsAnUrgentNotificationThroughQuietHours() {
        prefer(new Preferences(Map.of(), Map.of(), new QuietHours(LocalTime.of(22, 0), LocalTime.of(7, 0), PARIS), Map.of()));
        Delivery now = deliveries(send("comment", "urgent", "webhook")).getFirst();
        assertThat(now.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(now.state().dueAt()).isEqualTo(clock.instant());
    }

    @Test
    void holdsEveryCommentOfTheDayForOneDigestAtNineInTheUsersZone() {
        prefer(new Preferences(Map.of(), Map.of(), null,
                Map.of("comment", new DigestRule(Frequency.DAILY, LocalTime.of(9, 0), null))));
        List<Delivery> rows = List.of(send("comment", "medium", "webhook"), send("comment", "low", "webhook"),
                send("comment", "high", "webhook")).stream().map(c -> deliveries(c).getFirst()).toList();
        assertThat(rows).allSatisfy(d -> {
            assertThat(d.status()).isEqualTo(DeliveryStatus.HELD);
            assertThat(d.state().reason()).isEqualTo("digest");
            assertThat(d.state().dueAt()).isEqualTo(Instant.parse("2026-01-15T08:00:00Z"));
        });
        assertThat(rows.stream().map(d -> d.target().digestKey()).distinct()).hasSize(1);
    }

    @Test
    void sendsOtherTypesAtOnceWhenOnlyCommentsAreDigested() {
        prefer(new Preferences(Map.of(), Map.of(), null,
                Map.of("comment", new DigestRule(Frequency.DAILY, LocalTime.of(9, 0), null))));
        assertThat(deliveries(send("order", "medium", "webhook")).getFirst().status()).isEqualTo(DeliveryStatus.PENDING);
    }

    @Test
    void skipsAChannelTheUserHasNoAddressFor() {
        storage.contacts().putContact(Contact.none("amy"), clock.instant());
        assertThat(deliveries(send("order", "medium", "webhook")).getFirst().state().reason()).isEqualTo("no_address");
    }

    @Test
    void refusesAChannelThisServerHasNoSettingsFor() {
        assertThatThrownBy(() -> send("order", "medium", "sms"))
                .isInstanceOfSatisfying(HeraldException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CHANNEL_NOT_CONFIGURED))
                .hasMessageContaining("channels");
    }

    @Test
    void refusesAnUnknownChannelNamingTheField() {
        assertThatThrownBy(() -> send("order", "medium", "pigeon"))
                .isInstanceOfSatisfying(HeraldException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageStartingWith("channels: unknown channel");
    }

    @Test
    void writesAFallbackAndAnEscalationBesideTheInboxRow() {
        Created c = pipeline.create(CreateNotification.to("amy", "order", "T", "M").withRouting(new Routing(
                List.of("inApp"), "webhook", new CreateNotification.Escalation("email", 900L))));
        List<Delivery> rows = deliveries(c);
        assertThat(rows).extracting(d -> d.target().kind()).containsExactlyInAnyOrder(Delivery.Kind.FALLBACK, Delivery.Kind.ESCALATION);
        assertThat(rows).filteredOn(d -> d.target().kind() == Delivery.Kind.ESCALATION).singleElement()
                .satisfies(d -> assertThat(d.state().dueAt()).isEqualTo(clock.instant().plusSeconds(900)));
    }

    @Test
    void refusesAnEscalationWithoutInAppToWaitOn() {
        assertThatThrownBy(() -> pipeline.create(CreateNotification.to("amy", "order", "T", "M").withRouting(new Routing(
                List.of("webhook"), null, new CreateNotification.Escalation("email", 60L)))))
                .hasMessageStartingWith("escalate: needs inApp");
    }
}
