package dev.herald.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.notification.Channel;
import dev.herald.core.notification.Delivery;
import dev.herald.core.notification.DeliveryStatus;
import dev.herald.core.notification.Priority;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link OutboxStore} must do outside the dispatcher's claim loop: replay, cancel, find
 * and stats (the claims are {@link OutboxStoreContract}).
 */
public abstract class OutboxAdminContract extends PortContract {
    private OutboxStore outbox() {
        return storage.outbox();
    }

    private List<Delivery> claim(Priority priority, int limit) {
        return outbox().claimDue(priority, now(), limit, Duration.ofMinutes(1));
    }

    @Test
    void replaysADeadLetterDueNowWithNoAttempts() {
        String lu = user("lu");
        Delivery dead = delivery(ids.next(now()), lu, Channel.WEBHOOK, Priority.MEDIUM, Delivery.Kind.STANDARD, null,
                DeliveryStatus.DEAD, now().minusSeconds(600));
        saveDeliveries(dead);
        clock.advance(Duration.ofMinutes(5));

        Delivery again = outbox().replay(dead.id(), now()).orElseThrow();

        assertThat(again.state()).isEqualTo(new Delivery.State(DeliveryStatus.PENDING, null, 0, now(), null, now()));
        assertThat(stored(dead)).isEqualTo(again);
        assertThat(claim(Priority.MEDIUM, 10)).extracting(Delivery::id).containsExactly(dead.id());
    }

    @Test
    void replaysAFailedDelivery() {
        Delivery failed = delivery(ids.next(now()), user("lu"), Channel.EMAIL, Priority.MEDIUM, Delivery.Kind.STANDARD, null,
                DeliveryStatus.FAILED, now());
        saveDeliveries(failed);

        assertThat(outbox().replay(failed.id(), now())).map(Delivery::status).contains(DeliveryStatus.PENDING);
    }

    @Test
    void refusesToReplayARowThatIsNeitherDeadNorFailed() {
        String mo = user("mo");
        Delivery pending = delivery(mo, Channel.EMAIL, Priority.MEDIUM, now());
        Delivery sentRow = delivery(ids.next(now()), mo, Channel.EMAIL, Priority.MEDIUM, Delivery.Kind.STANDARD, null,
                DeliveryStatus.SENT, now());
        saveDeliveries(pending, sentRow);

        assertThat(outbox().replay(pending.id(), now())).isEmpty();
        assertThat(outbox().replay(sentRow.id(), now())).isEmpty();
        assertThat(outbox().replay(ids.next(now()), now())).isEmpty();
        assertThat(stored(sentRow)).isEqualTo(sentRow);
    }

    @Test
    void cancelsOnlyTheWaitingRowsOfThatKindOfTheNotification() {
        String ned = user("ned");
        String n = ids.next(now());
        Delivery escalation = delivery(n, ned, Channel.EMAIL, Priority.HIGH, Delivery.Kind.ESCALATION, null,
                DeliveryStatus.PENDING, now().plusSeconds(900));
        Delivery sentEscalation = delivery(n, ned, Channel.SMS, Priority.HIGH, Delivery.Kind.ESCALATION, null,
                DeliveryStatus.SENT, now());
        Delivery standard = delivery(n, ned, Channel.PUSH, Priority.HIGH, Delivery.Kind.STANDARD, null,
                DeliveryStatus.PENDING, now().plusSeconds(900));
        Delivery otherNotification = delivery(ids.next(now()), ned, Channel.EMAIL, Priority.HIGH, Delivery.Kind.ESCALATION,
                null, DeliveryStatus.PENDING, now().plusSeconds(900));
        saveDeliveries(escalation, sentEscalation, standard, otherNotification);
        clock.advance(Duration.ofSeconds(10));

        int cancelled = outbox().cancel(n, Delivery.Kind.ESCALATION, "read", now());

        assertThat(cancelled).isEqualTo(1);
        assertThat(stored(escalation).state()).satisfies(s -> {
            assertThat(s.status()).isEqualTo(DeliveryStatus.SKIPPED);
            assertThat(s.reason()).isEqualTo("read");
            assertThat(s.updatedAt()).isEqualTo(now());
        });
        assertThat(stored(sentEscalation)).isEqualTo(sentEscalation);
        assertThat(stored(standard)).isEqualTo(standard);
        assertThat(stored(otherNotification)).isEqualTo(otherNotification);
    }

    @Test
    void findsNothingForAnUnknownId() {
        assertThat(outbox().find(DeliveryQuery.byId(ids.next(now())))).isEmpty();
    }

    @Test
    void findsTheDeliveriesOfOneNotificationOldestFirst() {
        String n = ids.next(now());
        Delivery a = delivery(n, user("oz"), Channel.EMAIL, Priority.LOW, Delivery.Kind.STANDARD, null, DeliveryStatus.PENDING, now());
        Delivery b = delivery(n, user("pia"), Channel.EMAIL, Priority.LOW, Delivery.Kind.STANDARD, null, DeliveryStatus.SKIPPED, now());
        Delivery c = delivery(n, user("oz"), Channel.SMS, Priority.LOW, Delivery.Kind.FALLBACK, null, DeliveryStatus.PENDING, now());
        Delivery elsewhere = delivery(user("oz"), Channel.EMAIL, Priority.LOW, now());
        saveDeliveries(c, elsewhere, a, b);

        assertThat(outbox().find(DeliveryQuery.ofNotification(n))).extracting(Delivery::id)
                .containsExactly(a.id(), b.id(), c.id());
    }

    @Test
    void filtersByStatusNewestFirstAndPagesBeforeAnId() {
        String qi = user("qi");
        List<Delivery> dead = new ArrayList<>();
        List<Delivery> all = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Delivery d = delivery(ids.next(now()), qi, Channel.EMAIL, Priority.LOW, Delivery.Kind.STANDARD, null,
                    DeliveryStatus.DEAD, now());
            dead.add(d);
            all.add(d);
            all.add(delivery(qi, Channel.EMAIL, Priority.LOW, now()));
        }
        saveDeliveries(all.toArray(Delivery[]::new));

        List<Delivery> first = outbox().find(DeliveryQuery.filter(DeliveryStatus.DEAD, null, null, 2));
        List<Delivery> second = outbox().find(DeliveryQuery.filter(DeliveryStatus.DEAD, null, first.getLast().id(), 2));
        List<Delivery> last = outbox().find(DeliveryQuery.filter(DeliveryStatus.DEAD, null, second.getLast().id(), 2));

        assertThat(first).extracting(Delivery::id).containsExactly(dead.get(4).id(), dead.get(3).id());
        assertThat(second).extracting(Delivery::id).containsExactly(dead.get(2).id(), dead.get(1).id());
        assertThat(last).extracting(Delivery::id).containsExactly(dead.get(0).id());
    }

    @Test
    void filtersByChannelAndStatusTogether() {
        String ray = user("ray");
        Delivery deadSms = delivery(ids.next(now()), ray, Channel.SMS, Priority.LOW, Delivery.Kind.STANDARD, null,
                DeliveryStatus.DEAD, now());
        Delivery deadEmail = delivery(ids.next(now()), ray, Channel.EMAIL, Priority.LOW, Delivery.Kind.STANDARD, null,
                DeliveryStatus.DEAD, now());
        Delivery pendingSms = delivery(ray, Channel.SMS, Priority.LOW, now());
        saveDeliveries(deadSms, deadEmail, pendingSms);

        assertThat(outbox().find(DeliveryQuery.filter(DeliveryStatus.DEAD, Channel.SMS, null, 10)))
                .extracting(Delivery::id).containsExactly(deadSms.id());
        assertThat(outbox().find(DeliveryQuery.filter(null, Channel.SMS, null, 10)))
                .extracting(Delivery::id).containsExactly(pendingSms.id(), deadSms.id());
    }

    @Test
    void reportsQueueDepthAndOldestDueAgePerPriority() {
        String sol = user("sol");
        Delivery oldest = delivery(sol, Channel.EMAIL, Priority.HIGH, now().minusSeconds(90));
        Delivery alsoDue = delivery(sol, Channel.EMAIL, Priority.HIGH, now().minusSeconds(10));
        Delivery notDue = delivery(sol, Channel.EMAIL, Priority.HIGH, now().plusSeconds(10));
        Delivery held = delivery(ids.next(now()), sol, Channel.SMS, Priority.LOW, Delivery.Kind.STANDARD, null,
                DeliveryStatus.HELD, now().minusSeconds(5));
        Delivery done = delivery(ids.next(now()), sol, Channel.SMS, Priority.LOW, Delivery.Kind.STANDARD, null,
                DeliveryStatus.SENT, now().minusSeconds(500));
        saveDeliveries(oldest, alsoDue, notDue, held, done);

        OutboxStats stats = outbox().stats(now());

        assertThat(stats.queued().get(Priority.HIGH)).isEqualTo(new OutboxStats.Queue(2, Duration.ofSeconds(90)));
        assertThat(stats.queued().get(Priority.LOW)).isEqualTo(new OutboxStats.Queue(1, Duration.ofSeconds(5)));
        assertThat(stats.queued().get(Priority.URGENT)).isEqualTo(new OutboxStats.Queue(0, Duration.ZERO));
    }

    @Test
    void countsRowsByChannelAndStatus() {
        String tia = user("tia");
        saveDeliveries(delivery(tia, Channel.EMAIL, Priority.HIGH, now()), delivery(tia, Channel.EMAIL, Priority.LOW, now()),
                delivery(ids.next(now()), tia, Channel.EMAIL, Priority.LOW, Delivery.Kind.STANDARD, null, DeliveryStatus.DEAD, now()),
                delivery(ids.next(now()), tia, Channel.PUSH, Priority.LOW, Delivery.Kind.STANDARD, null, DeliveryStatus.SKIPPED, now()));

        OutboxStats stats = outbox().stats(now());

        assertThat(stats.count(Channel.EMAIL, DeliveryStatus.PENDING)).isEqualTo(2);
        assertThat(stats.count(Channel.EMAIL, DeliveryStatus.DEAD)).isEqualTo(1);
        assertThat(stats.count(Channel.PUSH, DeliveryStatus.SKIPPED)).isEqualTo(1);
        assertThat(stats.counts()).doesNotContainKey(Channel.SMS);
        assertThat(stats.counts().get(Channel.PUSH)).containsOnlyKeys(DeliveryStatus.SKIPPED);
    }
}
