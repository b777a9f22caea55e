package dev.herald.channels.push;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.channels.push.fcm.FcmSender;
import dev.herald.channels.testing.FcmServer;
import dev.herald.channels.testing.PushAnswer;
import dev.herald.core.deliver.dispatch.SendResult;
import dev.herald.core.memory.MemoryContactStore;
import dev.herald.core.notification.DeliveryStatus;
import dev.herald.core.notification.Device;
import dev.herald.core.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PushSenderTest {
    private final MutableClock clock = MutableClock.at("2026-03-10T08:00:00Z");
    private final FcmServer google = FcmServer.start(clock);
    private final PushHttp http = PushHttp.open(clock);
    private final MemoryContactStore contacts = new MemoryContactStore();
    private final PushSender sender = new PushSender(contacts, List.of(new FcmSender(google.config(), http)), clock);
    /** The parts of every send so far, as the dispatcher would write them to the delivery log. */
    private final List<SendResult.Part> parts = new ArrayList<>();

    @AfterEach
    void close() {
        http.close();
        google.close();
    }

    private void register(String id, Device.Platform platform, String token) {
        contacts.addDevice(PushTesting.device(id, "u1", platform, token));
    }

    private SendResult send(String deliveryId, int attempt) {
        SendResult result = sender.send(PushTesting.message(deliveryId, attempt, "u1"));
        parts.addAll(result.parts());
        return result;
    }

    private List<String> rows(DeliveryStatus outcome) {
        return parts.stream().filter(p -> p.outcome() == outcome).map(SendResult.Part::provider).toList();
    }

    @Test
    void oneDeliveryReachesEveryDeviceOfTheUserWithARowPerDevice() {
        register("dev-a", Device.Platform.FCM, "tok-a");
        register("dev-b", Device.Platform.FCM, "tok-b");

        SendResult result = send("del-1", 1);

        assertThat(((SendResult.Sent) result).providerId().split(",")).hasSize(2)
                .allSatisfy(id -> assertThat(id).startsWith("projects/herald-test/messages/"));
        assertThat(google.received()).extracting(FcmServer.Received::token).containsExactlyInAnyOrder("tok-a", "tok-b");
        assertThat(rows(DeliveryStatus.SENT)).containsExactlyInAnyOrder("fcm/dev-a", "fcm/dev-b");
    }

    @Test
    void anUnregisteredDeviceIsRemovedWithoutFailingTheDeliveryTheOthersGot() {
        register("dev-a", Device.Platform.FCM, "tok-a");
        register("dev-b", Device.Platform.FCM, "tok-b");
        google.respond("tok-b", PushAnswer.status(404, FcmServer.error(404, "NOT_FOUND", "UNREGISTERED")));

        assertThat(send("del-1", 1)).isInstanceOf(SendResult.Sent.class);

        assertThat(contacts.devices("u1")).extracting(Device::id).containsExactly("dev-a");
        assertThat(parts).filteredOn(p -> p.provider().equals("fcm/dev-b"))
                .extracting(SendResult.Part::outcome, SendResult.Part::error)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(DeliveryStatus.FAILED, "http 404 UNREGISTERED (device removed)"));
    }

    @Test
    void aRetryGoesOnlyToTheDevicesThatHaveNotTakenIt() {
        register("dev-a", Device.Platform.FCM, "tok-a");
        register("dev-b", Device.Platform.FCM, "tok-b");
        google.respond("tok-b", PushAnswer.status(503, "{}").retryAfter("20"), PushAnswer.ok());

        SendResult first = send("del-1", 1);
        assertThat(first).isInstanceOf(SendResult.Retry.class)
                .isEqualTo(new SendResult.Retry("1 of 2 devices: fcm dev-b: http 503", Duration.ofSeconds(20), first.parts()));
        SendResult second = send("del-1", 2);

        assertThat(second).isInstanceOf(SendResult.Sent.class);
        assertThat(google.receivedFor("tok-a")).hasSize(1);
        assertThat(google.receivedFor("tok-b")).hasSize(1);
        assertThat(rows(DeliveryStatus.PENDING)).containsExactly("fcm/dev-b");
        assertThat(rows(DeliveryStatus.SENT)).containsExactlyInAnyOrder("fcm/dev-a", "fcm/dev-b");
    }

    @Test
    void aDeliveryNoDeviceTookFailsSayingWhy() {
        register("dev-a", Device.Platform.FCM, "tok-a");
        register("dev-b", Device.Platform.APNS, "ab12");
        google.respond("tok-a", PushAnswer.status(404, FcmServer.error(404, "NOT_FOUND", "UNREGISTERED")));

        SendResult result = send("del-1", 1);

        assertThat(result).isEqualTo(new SendResult.Failed(
                "2 of 2 devices: fcm dev-a: http 404 UNREGISTERED (device removed); apns dev-b: platform not configured", result.parts()));
        assertThat(rows(DeliveryStatus.FAILED)).containsExactlyInAnyOrder("fcm/dev-a", "apns/dev-b");
        assertThat(contacts.devices("u1")).extracting(Device::id).containsExactly("dev-b");
    }

    @Test
    void aUserWithoutDevicesFailsWithNoDevice() {
        assertThat(sender.send(PushTesting.message("del-1", 1, "u1"))).isEqualTo(new SendResult.Failed("no_device"));
        assertThat(google.received()).isEmpty();
    }
}
