package dev.herald.core.store;

import static org.assertj.core.api.Assertions.assertThat;

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
 * What every {@link OutboxStore} must do for the dispatcher: claims, leases, digests and settles
 * (replay, cancel, find and stats are {@link OutboxAdminContract}).
 */
public abstract class OutboxStoreContract extends PortContract {
    private static final Duration LEASE = Duration.ofMinutes(1);

    private OutboxStore outbox() {
        return storage.outbox();
    }

    private List<Delivery> claim(Priority priority, int limit) {
        return outbox().claimDue(priority, now(), limit, LEASE);
    }

    /** Settles one claimed row with no attempt row; true when the store wrote it. */
    private boolean settle(Delivery claimed, Delivery.State state) {
        return outbox().settle(List.of(new Settlement(claimed, state, null))).isEmpty();
    }

    private static DeliveryAttempt attempt(Delivery claimed, Delivery.State state) {
        return new DeliveryAttempt(claimed.id(), claimed.target(), state.attempts(), state.status(), "smtp",
                Duration.ofMillis(12), state.reason(), state.updatedAt());
    }

    /** A settlement with its attempt row, as the dispatcher writes it. */
    private static Settlement logged(Delivery claimed, Delivery.State state) {
        return new Settlement(claimed, state, attempt(claimed, state));
    }

    private List<DeliveryAttempt> attemptsOf(Delivery d) {
        return storage.deliveryLog().ofNotification(d.target().notificationId());
    }

    private static Delivery.State sent(Delivery claimed, Instant at) {
        return new Delivery.State(DeliveryStatus.SENT, null, claimed.state().attempts() + 1, claimed.state().dueAt(), null, at);
    }

    @Test
    void keepsEveryFieldOfADelivery() {
        Delivery d = delivery(ids.next(now()), user("amy"), Channel.WEBHOOK, Priority.HIGH, Delivery.Kind.ESCALATION,
                "daily:2026-01-02T09:00:00Z", DeliveryStatus.HELD, now().plusSeconds(30));
        saveDeliveries(d);

        assertThat(outbox().find(DeliveryQuery.byId(d.id()))).containsExactly(d);
    }

    @Test
    void claimsDueRowsOldestDueFirstAndLeavesRowsNotYetDue() {
        String amy = user("amy");
        Delivery third = delivery(amy, Channel.EMAIL, Priority.HIGH, now().minusSeconds(1));
        Delivery first = delivery(amy, Channel.EMAIL, Priority.HIGH, now().minusSeconds(3));
        Delivery second = delivery(amy, Channel.SMS, Priority.HIGH, now().minusSeconds(2));
        Delivery later = delivery(amy, Channel.EMAIL, Priority.HIGH, now().plusSeconds(1));
        saveDeliveries(third, first, second, later);

        List<Delivery> claimed = claim(Priority.HIGH, 10);

        assertThat(claimed).extracting(Delivery::id).containsExactly(first.id(), second.id(), third.id());
    }

    @Test
    void claimsAtMostTheLimit() {
        String bo = user("bo");
        Delivery a = delivery(bo, Channel.EMAIL, Priority.LOW, now().minusSeconds(5));
        Delivery b = delivery(bo, Channel.EMAIL, Priority.LOW, now().minusSeconds(4));
        Delivery c = delivery(bo, Channel.EMAIL, Priority.LOW, now().minusSeconds(3));
        saveDeliveries(a, b, c);

        assertThat(claim(Priority.LOW, 2)).extracting(Delivery::id).containsExactly(a.id(), b.id());
    }

    @Test
    void leasesAClaimedRowUntilNowPlusTheLease() {
        Delivery d = delivery(user("cy"), Channel.PUSH, Priority.MEDIUM, now());
        saveDeliveries(d);

        Delivery claimed = claim(Priority.MEDIUM, 10).getFirst();

        assertThat(claimed.state().claimedUntil()).isEqualTo(now().plus(LEASE));
        assertThat(claimed.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(stored(d).state().claimedUntil()).isEqualTo(now().plus(LEASE));
    }

    @Test
    void doesNotClaimALeasedRowAgainWhileItsLeaseHolds() {
        Delivery d = delivery(user("cy"), Channel.PUSH, Priority.MEDIUM, now());
        saveDeliveries(d);
        claim(Priority.MEDIUM, 10);
        clock.advance(LEASE.minusSeconds(1));

        assertThat(claim(Priority.MEDIUM, 10)).isEmpty();
    }

    @Test
    void claimsARowAgainOnceItsLeaseLapsed() {
        Delivery d = delivery(user("cy"), Channel.PUSH, Priority.MEDIUM, now());
        saveDeliveries(d);
        Delivery first = claim(Priority.MEDIUM, 10).getFirst();
        clock.advance(LEASE);

        List<Delivery> again = claim(Priority.MEDIUM, 10);

        assertThat(again).extracting(Delivery::id).containsExactly(d.id());
        assertThat(again.getFirst().state().claimedUntil()).isAfter(first.state().claimedUntil());
    }

    @Test
    void claimsHeldRowsOnceDueAndKeepsThemHeld() {
        Delivery held = delivery(ids.next(now()), user("di"), Channel.EMAIL, Priority.LOW, Delivery.Kind.STANDARD, null,
                DeliveryStatus.HELD, now().plusSeconds(60));
        saveDeliveries(held);
        assertThat(claim(Priority.LOW, 10)).isEmpty();
        clock.advance(Duration.ofSeconds(60));

        List<Delivery> claimed = claim(Priority.LOW, 10);

        assertThat(claimed).extracting(Delivery::id).containsExactly(held.id());
        assertThat(claimed.getFirst().status()).isEqualTo(DeliveryStatus.HELD);
        assertThat(claimed.getFirst().state().reason()).isEqualTo("because-held");
    }

    @Test
    void neverClaimsAFinalRow() {
        String ed = user("ed");
        List<Delivery> finals = new ArrayList<>();
        for (DeliveryStatus s : DeliveryStatus.values()) {
            if (!s.waiting()) finals.add(delivery(ids.next(now()), ed, Channel.EMAIL, Priority.HIGH, Delivery.Kind.STANDARD, null, s, now()));
        }
        saveDeliveries(finals.toArray(Delivery[]::new));

        assertThat(claim(Priority.HIGH, 100)).isEmpty();
    }

    @Test
    void claimsOnlyRowsOfTheRequestedPriority() {
        String flo = user("flo");
        Delivery high = delivery(flo, Channel.EMAIL, Priority.HIGH, now());
        Delivery low = delivery(flo, Channel.EMAIL, Priority.LOW, now().minusSeconds(10));
        Delivery urgent = delivery(flo, Channel.SMS, Priority.URGENT, now().minusSeconds(5));
        saveDeliveries(high, low, urgent);

        assertThat(claim(Priority.HIGH, 10)).extracting(Delivery::id).containsExactly(high.id());
        assertThat(claim(Priority.MEDIUM, 10)).isEmpty();
        assertThat(claim(Priority.LOW, 10)).extracting(Delivery::id).containsExactly(low.id());
        assertThat(claim(Priority.URGENT, 10)).extracting(Delivery::id).containsExactly(urgent.id());
    }

    @Test
    void claimsADigestWholeEvenPastTheLimit() {
        String gil = user("gil");
        String window = "daily:2026-01-01T00:00:00Z";
        Instant due = now().minusSeconds(30);
        List<Delivery> digest = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            digest.add(delivery(ids.next(now()), gil, Channel.EMAIL, Priority.LOW, Delivery.Kind.STANDARD, window,
                    DeliveryStatus.HELD, due.plusSeconds(i)));
        }
        Delivery otherChannel = delivery(ids.next(now()), gil, Channel.PUSH, Priority.LOW, Delivery.Kind.STANDARD, window,
                DeliveryStatus.HELD, due);
        Delivery otherUser = delivery(ids.next(now()), user("hana"), Channel.EMAIL, Priority.LOW, Delivery.Kind.STANDARD,
                window, DeliveryStatus.HELD, due.plusSeconds(1));
        Delivery otherWindow = delivery(ids.next(now()), gil, Channel.EMAIL, Priority.LOW, Delivery.Kind.STANDARD,
                "daily:2025-12-31T00:00:00Z", DeliveryStatus.HELD, due.plusSeconds(1));
        saveDeliveries(digest.getFirst(), otherChannel, otherUser, otherWindow, digest.get(1), digest.get(2), digest.get(3));

        List<Delivery> claimed = claim(Priority.LOW, 1);

        assertThat(claimed).extracting(Delivery::id)
                .containsExactlyInAnyOrderElementsOf(digest.stream().map(Delivery::id).toList());
    }

    @Test
    void claimsAWholeDigestWithTheFirstClaimToReachAnyOfItsRows() {
        String gil = user("gil");
        String window = "daily:2026-01-01T00:00:00Z";
        Delivery low = delivery(ids.next(now()), gil, Channel.EMAIL, Priority.LOW, Delivery.Kind.STANDARD, window,
                DeliveryStatus.HELD, now().minusSeconds(2));
        Delivery medium = delivery(ids.next(now()), gil, Channel.EMAIL, Priority.MEDIUM, Delivery.Kind.STANDARD, window,
                DeliveryStatus.HELD, now().minusSeconds(1));
        saveDeliveries(low, medium);

        assertThat(claim(Priority.MEDIUM, 10)).extracting(Delivery::id).containsExactly(low.id(), medium.id());
        assertThat(claim(Priority.LOW, 10)).isEmpty();
    }

    @Test
    void leavesTheRowsOfADigestThatAreNotDueYet() {
        String gil = user("gil");
        String window = "hourly:2026-01-01T01:00:00Z";
        Delivery due = delivery(ids.next(now()), gil, Channel.EMAIL, Priority.LOW, Delivery.Kind.STANDARD, window,
                DeliveryStatus.HELD, now());
        Delivery notYet = delivery(ids.next(now()), gil, Channel.EMAIL, Priority.LOW, Delivery.Kind.STANDARD, window,
                DeliveryStatus.HELD, now().plusSeconds(60));
        saveDeliveries(due, notYet);

        assertThat(claim(Priority.LOW, 1)).extracting(Delivery::id).containsExactly(due.id());
    }

    @Test
    void settlesAClaimedRowWithItsLease() {
        Delivery d = delivery(user("ian"), Channel.SMS, Priority.HIGH, now());
        saveDeliveries(d);
        Delivery claimed = claim(Priority.HIGH, 1).getFirst();
        clock.advance(Duration.ofSeconds(2));

        Delivery.State sent = sent(claimed, now());

        Set<String> refused = outbox().settle(List.of(logged(claimed, sent)));

        assertThat(refused).isEmpty();
        Delivery after = stored(d);
        assertThat(after.state()).isEqualTo(new Delivery.State(DeliveryStatus.SENT, null, 1, d.state().dueAt(), null, now()));
        assertThat(attemptsOf(d)).containsExactly(attempt(claimed, sent));
        assertThat(claim(Priority.HIGH, 1)).isEmpty();
    }

    @Test
    void clearsTheLeaseWhenASettledRowGoesBackToWait() {
        Delivery d = delivery(user("ian"), Channel.SMS, Priority.HIGH, now());
        saveDeliveries(d);
        Delivery claimed = claim(Priority.HIGH, 1).getFirst();
        Instant retryAt = now().plusSeconds(5);
        Delivery.State retry = new Delivery.State(DeliveryStatus.PENDING, "503 from provider", 1, retryAt, claimed.state().claimedUntil(), now());

        settle(claimed, retry);
        clock.set(retryAt);

        assertThat(stored(d).state().claimedUntil()).isNull();
        assertThat(claim(Priority.HIGH, 1)).extracting(c -> c.state().attempts()).containsExactly(1);
    }

    @Test
    void refusesASettleWithALeaseThatLapsedAndWasClaimedAgain() {
        Delivery d = delivery(user("jan"), Channel.EMAIL, Priority.HIGH, now());
        saveDeliveries(d);
        Delivery slow = claim(Priority.HIGH, 1).getFirst();
        clock.advance(LEASE.plusSeconds(1));
        Delivery fresh = claim(Priority.HIGH, 1).getFirst();

        Set<String> refused = outbox().settle(List.of(logged(slow, sent(slow, now()))));

        assertThat(refused).containsExactly(d.id());
        assertThat(stored(d).status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(stored(d).state().claimedUntil()).isEqualTo(fresh.state().claimedUntil());
        assertThat(attemptsOf(d)).as("the refused settle's attempt").isEmpty();
        assertThat(settle(fresh, sent(fresh, now()))).isTrue();
    }

    @Test
    void refusesToSettleARowTwice() {
        Delivery d = delivery(user("kai"), Channel.EMAIL, Priority.HIGH, now());
        saveDeliveries(d);
        Delivery claimed = claim(Priority.HIGH, 1).getFirst();
        outbox().settle(List.of(logged(claimed, sent(claimed, now()))));
        Delivery after = stored(d);
        Delivery.State dead = new Delivery.State(DeliveryStatus.DEAD, "late", 9, now(), null, now().plusSeconds(1));

        assertThat(outbox().settle(List.of(logged(claimed, dead)))).containsExactly(d.id());
        assertThat(stored(d)).isEqualTo(after);
        assertThat(attemptsOf(d)).extracting(DeliveryAttempt::outcome).containsExactly(DeliveryStatus.SENT);
    }

    @Test
    void refusesToSettleAnUnknownRow() {
        Delivery never = delivery(user("lu"), Channel.EMAIL, Priority.HIGH, now());
        Delivery.State s = never.state();
        Delivery claimed = never.with(new Delivery.State(s.status(), s.reason(), s.attempts(), s.dueAt(), now().plus(LEASE), now()));

        assertThat(settle(claimed, sent(claimed, now()))).isFalse();
        assertThat(attemptsOf(claimed)).isEmpty();
    }

    @Test
    void neverHandsTheSameRowToTwoConcurrentClaimers() throws Exception {
        String uli = user("uli");
        List<Delivery> rows = new ArrayList<>();
        for (int i = 0; i < 300; i++) rows.add(delivery(uli, Channel.EMAIL, Priority.HIGH, now().minusSeconds(i % 17)));
        saveDeliveries(rows.toArray(Delivery[]::new));

        CountDownLatch go = new CountDownLatch(1);
        List<Callable<List<String>>> claimers = new ArrayList<>();
        for (int t = 0; t < 2; t++) claimers.add(() -> {
            go.await();
            List<String> mine = new ArrayList<>();
            for (List<Delivery> got; !(got = claim(Priority.HIGH, 7)).isEmpty(); ) got.forEach(d -> mine.add(d.id()));
            return mine;
        });
        List<String> claimed = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<String>>> futures = claimers.stream().map(pool::submit).toList();
            go.countDown();
            for (Future<List<String>> f : futures) claimed.addAll(f.get());
        }

        assertThat(claimed).doesNotHaveDuplicates().hasSize(rows.size());
    }
}
