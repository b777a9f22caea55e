package dev.herald.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.herald.core.notification.Channel;
import dev.herald.core.notification.Delivery;
import dev.herald.core.notification.DeliveryAttempt;
import dev.herald.core.notification.DeliveryStatus;
import dev.herald.core.notification.Priority;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What every {@link OutboxStore} must do for a dispatcher that claims several rows at once and
 * settles several sends in one call: leases still hold per row, a settle writes its attempt or
 * nothing (its parts' rows included), a lost lease refuses only its own settle, a row handed back is claimable at once, and
 * two claimers working the same rows in batches settle each exactly once.
 */
public abstract class OutboxBatchContract extends PortContract {
    private static final Duration LEASE = Duration.ofMinutes(1);

    private List<Delivery> claim(int limit) {
        return storage.outbox().claimDue(Priority.URGENT, now(), limit, LEASE);
    }

    private List<Delivery> rows(String recipient, int n) {
        List<Delivery> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) rows.add(delivery(recipient, Channel.EMAIL, Priority.URGENT, now().minusSeconds(n - i)));
        saveDeliveries(rows.toArray(Delivery[]::new));
        return rows;
    }

    private static Delivery.State outcome(Delivery claimed, DeliveryStatus status, String reason, Instant dueAt, Instant at) {
        return new Delivery.State(status, reason, claimed.state().attempts() + 1, dueAt, null, at);
    }

    private static Settlement logged(Delivery claimed, Delivery.State state) {
        return new Settlement(claimed, state, new DeliveryAttempt(claimed.id(), claimed.target(), state.attempts(),
                state.status(), "smtp", Duration.ofMillis(3), state.reason(), state.updatedAt()));
    }

    private List<DeliveryStatus> logOf(Delivery d) {
        return storage.deliveryLog().ofNotification(d.target().notificationId()).stream().map(DeliveryAttempt::outcome).toList();
    }

    @Test
    void aBatchClaimLeasesEveryRowItTakesAndLeavesTheRestToTheNextClaimer() {
        List<Delivery> rows = rows(user("ana"), 10);

        List<Delivery> first = claim(4);
        List<Delivery> second = claim(100);

        assertThat(first).extracting(Delivery::id).containsExactlyElementsOf(rows.subList(0, 4).stream().map(Delivery::id).toList());
        assertThat(first).allSatisfy(d -> assertThat(d.state().claimedUntil()).isEqualTo(now().plus(LEASE)));
        assertThat(second).extracting(Delivery::id).containsExactlyElementsOf(rows.subList(4, 10).stream().map(Delivery::id).toList());
        assertThat(claim(100)).isEmpty();
    }

    @Test
    void rowsOfABatchWhoseLeaseLapsedAreClaimedAgainAndTheRestStayLeased() {
        List<Delivery> rows = rows(user("ben"), 3);
        List<Delivery> batch = claim(3);
        storage.outbox().settle(List.of(logged(batch.get(1), outcome(batch.get(1), DeliveryStatus.SENT, null, batch.get(1).state().dueAt(), now()))));
        clock.advance(LEASE);

        assertThat(claim(10)).extracting(Delivery::id).containsExactly(rows.get(0).id(), rows.get(2).id());
    }

    @Test
    void settlesSeveralRowsInOneCallEachWithItsAttempt() {
        List<Delivery> batch = claim(rows(user("cat"), 3).size());
        clock.advance(Duration.ofSeconds(1));
        Delivery sent = batch.get(0);
        Delivery retried = batch.get(1);
        Delivery dead = batch.get(2);
        Instant retryAt = now().plusSeconds(5);

        Set<String> refused = storage.outbox().settle(List.of(
                logged(sent, outcome(sent, DeliveryStatus.SENT, null, sent.state().dueAt(), now())),
                logged(retried, outcome(retried, DeliveryStatus.PENDING, "503", retryAt, now())),
                logged(dead, outcome(dead, DeliveryStatus.DEAD, "550 no such user", dead.state().dueAt(), now()))));

        assertThat(refused).isEmpty();
        assertThat(stored(sent).status()).isEqualTo(DeliveryStatus.SENT);
        assertThat(stored(retried).state()).isEqualTo(new Delivery.State(DeliveryStatus.PENDING, "503", 1, retryAt, null, now()));
        assertThat(stored(dead).state().reason()).isEqualTo("550 no such user");
        assertThat(logOf(sent)).containsExactly(DeliveryStatus.SENT);
        assertThat(logOf(retried)).containsExactly(DeliveryStatus.PENDING);
        assertThat(logOf(dead)).containsExactly(DeliveryStatus.DEAD);
    }

    @Test
    void refusesOnlyTheSettleWhoseLeaseWasLostAndWritesTheOthers() {
        LostLease lost = lostLease(user("dan"));
        Delivery slow = lost.slow();
        Delivery other = lost.other();

        Set<String> refused = storage.outbox().settle(List.of(
                logged(slow, outcome(slow, DeliveryStatus.SENT, null, slow.state().dueAt(), now())),
                logged(other, outcome(other, DeliveryStatus.SENT, null, other.state().dueAt(), now()))));

        assertThat(refused).containsExactly(slow.id());
        assertThat(stored(slow).status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(stored(slow).state().claimedUntil()).isEqualTo(now().plus(LEASE));
        assertThat(logOf(slow)).as("the refused settle's attempt").isEmpty();
        assertThat(stored(other).status()).isEqualTo(DeliveryStatus.SENT);
        assertThat(logOf(other)).containsExactly(DeliveryStatus.SENT);
    }

    /** A worker's claim whose lease ran out ({@code slow}, taken again since) and a second row claimed fresh. */
    private record LostLease(Delivery slow, Delivery other) {}

    private LostLease lostLease(String recipient) {
        List<Delivery> rows = rows(recipient, 2);
        Delivery slow = claim(1).getFirst();
        clock.advance(LEASE.plusSeconds(1));
        Delivery other = claim(2).stream().filter(d -> d.id().equals(rows.get(1).id())).findFirst().orElseThrow();
        return new LostLease(slow, other);
    }

    private static DeliveryAttempt part(Delivery claimed, String device, DeliveryStatus outcome, String error, Instant at) {
        return new DeliveryAttempt(claimed.id(), claimed.target(), claimed.state().attempts() + 1, outcome, "fcm/" + device,
                Duration.ofMillis(7), error, at);
    }

    private static Settlement withParts(Settlement st, DeliveryAttempt... parts) {
        return new Settlement(st.claimed(), st.state(), st.attempt(), List.of(parts));
    }

    @Test
    void writesASettlesPartsWithItBeforeItsAttempt() {
        List<Delivery> batch = claim(rows(user("gus"), 2).size());
        Delivery pushed = batch.get(0);
        Delivery plain = batch.get(1);
        Delivery.State sent = outcome(pushed, DeliveryStatus.SENT, null, pushed.state().dueAt(), now());

        Set<String> refused = storage.outbox().settle(List.of(
                withParts(logged(pushed, sent), part(pushed, "dev-a", DeliveryStatus.SENT, null, now()),
                        part(pushed, "dev-b", DeliveryStatus.FAILED, "http 404 UNREGISTERED (device removed)", now())),
                logged(plain, outcome(plain, DeliveryStatus.SENT, null, plain.state().dueAt(), now()))));

        assertThat(refused).isEmpty();
        assertThat(stored(pushed).status()).isEqualTo(DeliveryStatus.SENT);
        assertThat(storage.deliveryLog().ofNotification(pushed.target().notificationId()))
                .extracting(DeliveryAttempt::deliveryId, DeliveryAttempt::provider, DeliveryAttempt::outcome, DeliveryAttempt::error,
                        DeliveryAttempt::attempt, DeliveryAttempt::latency)
                .containsExactly(
                        tuple(pushed.id(), "fcm/dev-a", DeliveryStatus.SENT, null, 1, Duration.ofMillis(7)),
                        tuple(pushed.id(), "fcm/dev-b", DeliveryStatus.FAILED,
                                "http 404 UNREGISTERED (device removed)", 1, Duration.ofMillis(7)),
                        tuple(pushed.id(), "smtp", DeliveryStatus.SENT, null, 1, Duration.ofMillis(3)));
        assertThat(logOf(plain)).containsExactly(DeliveryStatus.SENT);
    }

    @Test
    void aSettleWhoseLeaseWasLostWritesNoneOfItsParts() {
        LostLease lost = lostLease(user("hal"));
        Delivery slow = lost.slow();
        Delivery other = lost.other();
        Delivery.State sent = outcome(slow, DeliveryStatus.SENT, null, slow.state().dueAt(), now());

        Set<String> refused = storage.outbox().settle(List.of(
                withParts(logged(slow, sent), part(slow, "dev-a", DeliveryStatus.SENT, null, now())),
                withParts(logged(other, outcome(other, DeliveryStatus.SENT, null, other.state().dueAt(), now())),
                        part(other, "dev-c", DeliveryStatus.SENT, null, now()))));

        assertThat(refused).containsExactly(slow.id());
        assertThat(logOf(slow)).as("the refused settle's parts and attempt").isEmpty();
        assertThat(storage.deliveryLog().ofNotification(other.target().notificationId())).extracting(DeliveryAttempt::provider)
                .containsExactly("fcm/dev-c", "smtp");
    }

    @Test
    void aRowHandedBackUnsentIsClaimableAtOnceWithItsStateAndNoAttempt() {
        Delivery row = rows(user("eve"), 1).getFirst();
        Delivery claimed = claim(1).getFirst();

        Set<String> refused = storage.outbox().settle(List.of(Settlement.giveBack(claimed, now())));

        assertThat(refused).isEmpty();
        Delivery again = claim(1).getFirst();
        assertThat(again.id()).isEqualTo(row.id());
        assertThat(again.state().attempts()).isZero();
        assertThat(again.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(again.state().dueAt()).isEqualTo(row.state().dueAt());
        assertThat(logOf(row)).isEmpty();
    }

    @Test
    void twoConcurrentBatchClaimersSettleEveryRowExactlyOnce() throws Exception {
        List<Delivery> rows = rows(user("fay"), 240);
        CountDownLatch go = new CountDownLatch(1);
        List<Callable<List<String>>> claimers = new ArrayList<>();
        for (int t = 0; t < 2; t++) claimers.add(() -> {
            go.await();
            List<String> settled = new ArrayList<>();
            for (List<Delivery> got; !(got = claim(16)).isEmpty(); ) {
                List<Settlement> outcomes = got.stream()
                        .map(d -> logged(d, outcome(d, DeliveryStatus.SENT, null, d.state().dueAt(), now()))).toList();
                Set<String> refused = storage.outbox().settle(outcomes);
                assertThat(refused).isEmpty();
                got.forEach(d -> settled.add(d.id()));
            }
            return settled;
        });
        List<String> settled = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<String>>> futures = claimers.stream().map(pool::submit).toList();
            go.countDown();
            for (Future<List<String>> f : futures) settled.addAll(f.get());
        }

        assertThat(settled).doesNotHaveDuplicates().hasSize(rows.size());
        assertThat(rows).allSatisfy(d -> assertThat(logOf(d)).containsExactly(DeliveryStatus.SENT));
        assertThat(rows).allSatisfy(d -> assertThat(stored(d).status()).isEqualTo(DeliveryStatus.SENT));
    }
}
