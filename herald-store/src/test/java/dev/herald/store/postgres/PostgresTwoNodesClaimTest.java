package dev.herald.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.notification.Channel;
import dev.herald.core.notification.Delivery;
import dev.herald.core.notification.DeliveryStatus;
import dev.herald.core.notification.NotificationIds;
import dev.herald.core.notification.Priority;
import dev.herald.core.store.NotificationBatch;
import dev.herald.core.store.Storage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two nodes (two Storage instances, two pools) dispatching from one schema, as a cluster does. */
class PostgresTwoNodesClaimTest {
    private static final Instant NOW = Instant.parse("2026-06-01T09:00:00Z");
    private static final Duration LEASE = Duration.ofMinutes(5);

    private final String schema = TestPostgres.uniqueSchema();
    private final NotificationIds ids = new NotificationIds();
    private Storage nodeA;
    private Storage nodeB;

    @BeforeEach
    void openTwoNodes() {
        nodeA = PostgresNotificationStore.open(TestPostgres.URL, schema, 4);
        nodeB = PostgresNotificationStore.open(TestPostgres.URL, schema, 4);
    }

    @AfterEach
    void closeNodes() {
        nodeA.close();
        nodeB.close();
        TestPostgres.dropSchema(schema);
    }

    private Delivery row(String recipient, String digestKey, int i) {
        Delivery.Target target = new Delivery.Target(ids.next(NOW), recipient, "comment", Channel.EMAIL, Priority.HIGH,
                Delivery.Kind.STANDARD, digestKey);
        DeliveryStatus status = digestKey == null ? DeliveryStatus.PENDING : DeliveryStatus.HELD;
        return new Delivery(ids.next(NOW), target, new Delivery.State(status, null, 0, NOW.minusSeconds(i % 13), null, NOW), "{}", NOW);
    }

    private void save(List<Delivery> rows) {
        nodeA.notifications().save(new NotificationBatch(rows.stream().map(d -> d.target().notificationId()).toList(),
                List.of(), rows), null, NOW);
    }

    /** Both nodes claim (limit 5) until the outbox is drained; each claim's ids, per node. */
    private List<List<String>> drainFromBothNodes() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Callable<List<List<String>>>> claimers = new ArrayList<>();
        for (Storage node : List.of(nodeA, nodeB, nodeA, nodeB)) claimers.add(() -> {
            go.await();
            List<List<String>> claims = new ArrayList<>();
            for (List<Delivery> got; !(got = node.outbox().claimDue(Priority.HIGH, NOW, 5, LEASE)).isEmpty(); ) {
                claims.add(got.stream().map(Delivery::id).toList());
            }
            return claims;
        });
        List<List<String>> claims = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<List<String>>>> futures = claimers.stream().map(pool::submit).toList();
            go.countDown();
            for (Future<List<List<String>>> f : futures) claims.addAll(f.get());
        }
        return claims;
    }

    @Test
    void neverHandTheSameRowToBothNodes() throws Exception {
        List<Delivery> rows = new ArrayList<>();
        for (int i = 0; i < 600; i++) rows.add(row("user-" + (i % 40), null, i));
        save(rows);

        List<String> claimed = drainFromBothNodes().stream().flatMap(List::stream).toList();

        assertThat(claimed).doesNotHaveDuplicates().hasSize(rows.size());
    }

    @Test
    void neverSplitADigestBetweenTwoClaims() throws Exception {
        List<Delivery> rows = new ArrayList<>();
        for (int digest = 0; digest < 60; digest++) {
            for (int i = 0; i < 4; i++) rows.add(row("user-" + digest, "daily:2026-06-01T09:00:00Z", digest + i));
        }
        save(rows);
        Map<String, String> digestOf = rows.stream().collect(Collectors.toMap(Delivery::id, d -> d.target().recipientId()));

        List<List<String>> claims = drainFromBothNodes();

        assertThat(claims.stream().flatMap(List::stream).toList()).doesNotHaveDuplicates().hasSize(rows.size());
        Map<String, Integer> claimsPerDigest = new ConcurrentHashMap<>();
        for (List<String> claim : claims) {
            claim.stream().map(digestOf::get).distinct().forEach(d -> claimsPerDigest.merge(d, 1, Integer::sum));
        }
        assertThat(claimsPerDigest).hasSize(60).allSatisfy((digest, times) -> assertThat(times).as(digest).isEqualTo(1));
    }
}
