package dev.herald.channels.push;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.channels.push.fcm.FcmSender;
import dev.herald.channels.testing.FcmServer;
import dev.herald.channels.testing.PushAnswer;
import dev.herald.core.deliver.dispatch.SendResult;
import dev.herald.core.memory.MemoryContactStore;
import dev.herald.core.memory.MemoryDeliveryLog;
import dev.herald.core.notification.DeliveryAttempt;
import dev.herald.core.notification.DeliveryStatus;
import dev.herald.core.notification.Device;
import dev.herald.core.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PushSenderTest {
    private final MutableClock clock = MutableClock.at("2026-03-10T08:00:00Z");
    private final FcmServer google = FcmServer.start(clock);
    private final PushHttp http = PushHttp.open(clock);
    private final MemoryContactStore contacts = new MemoryContactStore();
    private final MemoryDeliveryLog log = new MemoryDeliveryLog();
    private final PushSender sender = new PushSender(contacts, log,
            List.of(new FcmSender(google.config(), http)), clock);

    @AfterEach
    void close() {
        http.close();
        google.close();
    }

    private void register(String id, Device.Platform platform, String token) {
        contacts.addDevice(PushTesting.device(id, "u1", platform, token));
    }

    private List<String> rows(DeliveryStatus outcome) {
        return log.ofNotification("n1").stream().filter(a -> a.outcome() == outcome).map(DeliveryAttempt::provider).toList();
    }

    @Test
    void oneDeliveryReachesEveryDeviceOfTheUserWithARowPerDevice() {
        register("dev-a", Device.Platform.FCM, "tok-a");
        register("dev-b", Device.Platform.FCM, "tok-b");

        SendResult result = sender.send(PushTesting.message("del-1", 1, "u1"));

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

        assertThat(sender.send(PushTesting.message("del-1", 1, "u1"))).isInstanceOf(SendResult.Sent.class);

        assertThat(contacts.devices("u1")).extracting(Device::id).containsExactly("dev-a");
        assertThat(log.ofNotification("n1")).filteredOn(a -> a.provider().equals("fcm/dev-b"))
                .extracting(DeliveryAttempt::outcome, DeliveryAttempt::error)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(DeliveryStatus.FAILED, "http 404 UNREGISTERED (device removed)"));
    }

    @Test
    void aRetryGoesOnlyToTheDevicesThatHaveNotTakenIt() {
        register("dev-a", Device.Platform.FCM, "tok-a");
        register("dev-b", Device.Platform.FCM, "tok-b");
        google.respond("tok-b", PushAnswer.status(503, "{}").retryAfter("20"), PushAnswer.ok());

        SendResult first = sender.send(PushTesting.message("del-1", 1, "u1"));
        assertThat(first).isEqualTo(new SendResult.Retry("1 of 2 devices: fcm dev-b: http 503", Duration.ofSeconds(20)));
        SendResult second = sender.send(PushTesting.message("del-1", 2, "u1"));

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

        SendResult result = sender.send(PushTesting.message("del-1", 1, "u1"));

        assertThat(result).isEqualTo(new SendResult.Failed(
                "2 of 2 devices: fcm dev-a: http 404 UNREGISTERED (device removed); apns dev-b: platform not configured"));
        assertThat(contacts.devices("u1")).extracting(Device::id).containsExactly("dev-b");
    }

    @Test
    void aUserWithoutDevicesFailsWithNoDevice() {
        assertThat(sender.send(PushTesting.message("del-1", 1, "u1"))).isEqualTo(new SendResult.Failed("no_device"));
        assertThat(google.received()).isEmpty();
    }
}
