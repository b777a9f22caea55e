package dev.herald.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.notification.Channel;
import dev.herald.core.notification.Contact;
import dev.herald.core.notification.Delivery;
import dev.herald.core.notification.DeliveryAttempt;
import dev.herald.core.notification.DeliveryStatus;
import dev.herald.core.notification.Device;
import dev.herald.core.notification.Notification;
import dev.herald.core.notification.NotificationStatus;
import dev.herald.core.notification.Preferences;
import dev.herald.core.notification.Priority;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What {@link NotificationStore#save} must do with a whole batch (inbox rows, outbox rows and the
 * key in one transaction), and what erasure and retention do to the other ports' rows.
 */
public abstract class NotificationBatchContract extends PortContract {
    private Notification note(String id, String recipient) {
        return new Notification(id, recipient, null, null, null, "comment", "New comment", "Nice!", "social",
                Priority.MEDIUM, NotificationStatus.PENDING, null, now(), null, null, null, null);
    }

    private Delivery email(String notificationId, String recipient) {
        return delivery(notificationId, recipient, Channel.EMAIL, Priority.MEDIUM, Delivery.Kind.STANDARD, null,
                DeliveryStatus.PENDING, now());
    }

    private Idempotency key(String key) {
        return new Idempotency(key + "-" + run, "fp", now().plus(Duration.ofHours(24)));
    }

    @Test
    void writesTheInboxAndOutboxRowsOfABatchTogether() {
        String amy = user("amy"), bo = user("bo");
        String toAmy = ids.next(now()), toBo = ids.next(now());
        Notification inbox = note(toAmy, amy);
        Delivery amyEmail = email(toAmy, amy), boEmail = email(toBo, bo);

        Saved saved = storage.notifications().save(new NotificationBatch(List.of(toAmy, toBo), List.of(inbox),
                List.of(amyEmail, boEmail)), null, now());

        assertThat(saved.ids()).containsExactly(toAmy, toBo);
        assertThat(saved.notifications()).containsExactly(inbox);
        assertThat(storage.inbox().find(amy, toAmy, now())).contains(inbox);
        assertThat(storage.inbox().find(bo, toBo, now())).isEmpty();
        assertThat(storage.outbox().find(DeliveryQuery.ofNotification(toAmy))).containsExactly(amyEmail);
        assertThat(storage.outbox().find(DeliveryQuery.ofNotification(toBo))).containsExactly(boEmail);
    }

    @Test
    void writesNothingOfABatchWhenADeliveryCannotBeWritten() {
        String cy = user("cy");
        Delivery existing = email(ids.next(now()), cy);
        saveDeliveries(existing);
        String id = ids.next(now());
        Delivery fresh = email(id, cy);

        assertThatThrownBy(() -> storage.notifications().save(new NotificationBatch(List.of(id), List.of(note(id, cy)),
                List.of(fresh, existing)), null, now())).isInstanceOf(RuntimeException.class);

        assertThat(storage.inbox().find(cy, id, now())).isEmpty();
        assertThat(storage.outbox().find(DeliveryQuery.byId(fresh.id()))).isEmpty();
    }

    @Test
    void writesNoDeliveryOfABatchWhenAnInboxRowCannotBeWritten() {
        String di = user("di");
        String id = ids.next(now());
        storage.notifications().saveAll(List.of(note(id, di)), null, now());
        Delivery email = email(id, di);

        assertThatThrownBy(() -> storage.notifications().save(new NotificationBatch(List.of(id), List.of(note(id, di)),
                List.of(email)), null, now())).isInstanceOf(RuntimeException.class);

        assertThat(storage.outbox().find(DeliveryQuery.ofNotification(id))).isEmpty();
    }

    @Test
    void replaysEveryIdOfTheFirstBatchIncludingRecipientsWithoutAnInboxRow() {
        String ed = user("ed"), flo = user("flo");
        String toEd = ids.next(now()), toFlo = ids.next(now());
        Notification inbox = note(toEd, ed);
        storage.notifications().save(new NotificationBatch(List.of(toEd, toFlo), List.of(inbox),
                List.of(email(toFlo, flo))), key("k1"), now());
        String otherId = ids.next(now());

        Saved again = storage.notifications().save(new NotificationBatch(List.of(otherId), List.of(note(otherId, ed)),
                List.of(email(otherId, ed))), key("k1"), now());

        assertThat(again.replayed()).isTrue();
        assertThat(again.ids()).containsExactly(toEd, toFlo);
        assertThat(again.notifications()).containsExactly(inbox);
        assertThat(storage.outbox().find(DeliveryQuery.ofNotification(otherId))).isEmpty();
        assertThat(storage.inbox().find(ed, otherId, now())).isEmpty();
    }

    @Test
    void writesEveryBatchOfConcurrentSavesWithItsDeliveries() throws Exception {
        String ida = user("ida");
        List<NotificationBatch> batches = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            String id = ids.next(now());
            batches.add(new NotificationBatch(List.of(id), List.of(note(id, ida)),
                    List.of(email(id, ida), delivery(id, ida, Channel.SMS, Priority.MEDIUM, Delivery.Kind.STANDARD, null,
                            DeliveryStatus.SKIPPED, now()))));
        }

        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Callable<Saved>> saves = batches.stream().<Callable<Saved>>map(b -> () -> storage.notifications().save(b, null, now())).toList();
            for (Future<Saved> f : pool.invokeAll(saves)) f.get();
        }

        for (NotificationBatch b : batches) {
            String id = b.ids().getFirst();
            assertThat(storage.inbox().find(ida, id, now())).contains(b.inbox().getFirst());
            assertThat(storage.outbox().find(DeliveryQuery.ofNotification(id))).containsExactlyElementsOf(b.deliveries());
        }
    }

    @Test
    void writesTheDeliveriesOnceWhenConcurrentSavesShareAKey() throws Exception {
        String jo = user("jo");
        List<Callable<Saved>> saves = new ArrayList<>();
        List<String> notificationIds = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String id = ids.next(now());
            notificationIds.add(id);
            NotificationBatch b = new NotificationBatch(List.of(id), List.of(), List.of(email(id, jo)));
            saves.add(() -> storage.notifications().save(b, key("k2"), now()));
        }

        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Saved> f : pool.invokeAll(saves)) f.get();
        }

        long written = notificationIds.stream().filter(id -> !storage.outbox().find(DeliveryQuery.ofNotification(id)).isEmpty()).count();
        assertThat(written).isEqualTo(1);
    }

    @Test
    void erasesTheUsersDeliveriesAttemptsPreferencesContactAndDevices() {
        String gone = user("gone"), stays = user("stays");
        for (String u : List.of(gone, stays)) {
            String id = ids.next(now());
            Delivery d = email(id, u);
            storage.notifications().save(new NotificationBatch(List.of(id), List.of(note(id, u)), List.of(d)), null, now());
            storage.deliveryLog().append(new DeliveryAttempt(d.id(), d.target(), 1, DeliveryStatus.SENT, "smtp", null, null, now()));
            storage.preferences().put(u, Preferences.defaults().withChannels(Map.of(Channel.SMS, false)), now());
            storage.contacts().putContact(new Contact(u, u + "@example.org", null, null, null, null), now());
            storage.contacts().addDevice(new Device(ids.next(now()), u, Device.Platform.FCM, "token-" + u, null, null, now()));
        }

        int erased = storage.notifications().eraseUser(gone);

        assertThat(erased).isEqualTo(1);
        assertThat(storage.outbox().find(new DeliveryQuery(null, null, gone, null, null, null, 10))).isEmpty();
        assertThat(storage.outbox().find(new DeliveryQuery(null, null, stays, null, null, null, 10))).hasSize(1);
        assertThat(storage.deliveryLog().ofNotification(storage.outbox().find(new DeliveryQuery(null, null, stays, null,
                null, null, 10)).getFirst().target().notificationId())).hasSize(1);
        assertThat(storage.preferences().find(gone)).isEmpty();
        assertThat(storage.preferences().find(stays)).isPresent();
        assertThat(storage.contacts().contact(gone)).isEmpty();
        assertThat(storage.contacts().contact(stays)).isPresent();
        assertThat(storage.contacts().devices(gone)).isEmpty();
        assertThat(storage.contacts().devices(stays)).hasSize(1);
    }

    @Test
    void erasesTheAttemptsOfTheUsersDeliveries() {
        String gus = user("gus");
        Delivery d = email(ids.next(now()), gus);
        saveDeliveries(d);
        storage.deliveryLog().append(new DeliveryAttempt(d.id(), d.target(), 1, DeliveryStatus.FAILED, "smtp", null, "550", now()));

        storage.notifications().eraseUser(gus);

        assertThat(storage.deliveryLog().ofNotification(d.target().notificationId())).isEmpty();
    }

    @Test
    void purgesFinalDeliveriesAndAttemptsPastRetentionButKeepsWaitingOnes() {
        String hal = user("hal");
        Delivery sent = delivery(ids.next(now()), hal, Channel.EMAIL, Priority.LOW, Delivery.Kind.STANDARD, null,
                DeliveryStatus.SENT, now());
        Delivery waiting = delivery(ids.next(now()), hal, Channel.EMAIL, Priority.LOW, Delivery.Kind.STANDARD, null,
                DeliveryStatus.HELD, now().plus(Duration.ofDays(60)));
        saveDeliveries(sent, waiting);
        storage.deliveryLog().append(new DeliveryAttempt(sent.id(), sent.target(), 1, DeliveryStatus.SENT, "smtp", null, null, now()));
        clock.advance(Duration.ofDays(40));

        storage.maintenance().purge(now(), now().minus(Duration.ofDays(30)));

        assertThat(storage.outbox().find(DeliveryQuery.byId(sent.id()))).isEmpty();
        assertThat(storage.outbox().find(DeliveryQuery.byId(waiting.id()))).containsExactly(waiting);
        assertThat(storage.deliveryLog().ofNotification(sent.target().notificationId())).isEmpty();
    }
}
