package dev.herald.faults;

import static dev.herald.channels.testing.WebhookReceiver.Answer.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.channels.testing.WebhookReceiver;
import dev.herald.core.deliver.dispatch.DispatchConfig;
import dev.herald.core.notification.Priority;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9's proof with real processes: two {@code herald.jar serve} nodes dispatch one PostgreSQL
 * outbox to one loopback receiver that verifies every Standard Webhooks signature and counts
 * requests by {@code webhook-id} (the delivery id). The notifications are created through both
 * nodes, 2 000 of them to 50 users, each with the webhook channel only, so each is one outbox row.
 *
 * <p>Without a fault every delivery must arrive exactly once ({@code FOR UPDATE SKIP LOCKED} keeps
 * the nodes off each other's rows). With one node killed by SIGKILL mid-dispatch, nothing may be
 * left undelivered, and only the sends that node had in flight may arrive twice, with the same id
 * and body: its leases lapse ({@code DELIVERY_LEASE_SECONDS}, short here) and the survivor claims
 * the rows again. Which sends are in flight is made certain without timing: the receiver holds its
 * answers behind a gate until both nodes have every slot of their priority waiting on it.
 */
class TwoNodeDispatchTest {
    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(
            "two-node-dispatch-signing-key!!!".getBytes(StandardCharsets.UTF_8));
    private static final int NOTIFICATIONS = 2000;
    private static final int USERS = 50;
    private static final int BATCH = 50;
    private static final List<String> PRIORITIES = List.of("urgent", "high", "medium", "low");
    private static final Duration SETTLE_BOUND = Duration.ofSeconds(150);
    // Webhooks get the default 10 s to answer (plus up to 5 s to connect): the shortest lease allowed is 16 s.
    private static final int LEASE_SECONDS = 16;

    @TempDir
    Path work;

    private final String run = "d2" + UUID.randomUUID().toString().substring(0, 8);
    private final String schema = "faults_" + run;
    private final String users = run + "-u";
    private final WebhookReceiver receiver = WebhookReceiver.start(SECRET);
    private final List<HeraldProcess> nodes = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        try {
            for (HeraldProcess node : nodes) node.close();
        } finally {
            receiver.close();
            StoredRows.dropSchema(schema);
        }
    }

    private HeraldProcess node(String name, Map<String, String> more) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("DATABASE_URL", StoredRows.PG_URL, "DATABASE_SCHEMA", schema,
                "WEBHOOK_SIGNING_SECRET", SECRET, "ALLOW_HTTP_WEBHOOKS", "true"));
        env.putAll(more);
        // One at a time: the first creates the schema, so two migrations never race.
        HeraldProcess node = HeraldProcess.start(name, work, env);
        nodes.add(node);
        return node;
    }

    private void registerWebhooks(HeraldProcess node) throws Exception {
        for (int u = 0; u < USERS; u++) {
            Rest.call(node, "PUT", "/api/v1/users/" + users + u + "/contact", "{\"webhookUrl\":\"" + receiver.url() + "\"}");
        }
    }

    /** {@code n} creates through {@code node}, in bulk requests, each a webhook of {@code priority.apply(i)}. */
    private Future<CreateLoad.Report> create(HeraldProcess node, int n, IntFunction<String> priority) {
        return CreateLoad.against(node.base(), run + "-" + node.nodeId()).creates(n).batch(BATCH).concurrency(4).users(USERS)
                .recipientPrefix(users).fields(i -> "\"channels\":[\"webhook\"],\"priority\":\"" + priority.apply(i) + "\"")
                .build().start();
    }

    /** How many creates the loads had accepted, once they all ended (bounded); none may have been refused. */
    @SafeVarargs
    private static int accepted(Future<CreateLoad.Report>... loads) throws Exception {
        int accepted = 0;
        for (Future<CreateLoad.Report> f : loads) {
            CreateLoad.Report r = f.get(120, TimeUnit.SECONDS);
            assertThat(r.failed()).as(r.firstFailure()).isZero();
            accepted += r.accepted();
        }
        return accepted;
    }

    /** The ids of the requests answered {@code gate}'s way; while it is closed, every one is still in flight. */
    private Set<String> held(CountDownLatch gate) {
        return receiver.received().stream().filter(r -> r.answer().gate() == gate).map(WebhookReceiver.Received::id)
                .collect(Collectors.toSet());
    }

    private long sentRows() throws Exception {
        return StoredRows.outbox(schema, users).values().stream().filter(o -> o.status().equals("sent")).count();
    }

    /** Waits (bounded) until every outbox row is sent; a timeout is judged by the figures, not here. */
    private void awaitAllSent() {
        try {
            await().atMost(SETTLE_BOUND).pollInterval(Duration.ofMillis(500)).until(() -> sentRows() == NOTIFICATIONS);
        } catch (ConditionTimeoutException e) {
            // judged below, with the figures printed first
        }
    }

    @Test
    void twoNodesDeliverEveryWebhookExactlyOnce() throws Exception {
        HeraldProcess a = node("a", Map.of());
        HeraldProcess b = node("b", Map.of());
        registerWebhooks(a);

        IntFunction<String> mixed = i -> PRIORITIES.get(i % PRIORITIES.size());
        int accepted = accepted(create(a, NOTIFICATIONS / 2, mixed), create(b, NOTIFICATIONS / 2, mixed));
        awaitAllSent();

        DeliveryFigures f = DeliveryFigures.of("dispatch-2nodes", accepted, StoredRows.outbox(schema, users), receiver,
                "sent_by_a=" + DeliveryFigures.sentBy(a) + " sent_by_b=" + DeliveryFigures.sentBy(b) + " lease_s=60").print();
        assertThat(accepted).isEqualTo(NOTIFICATIONS);
        assertThat(receiver.rejected()).as("requests with a bad signature").isZero();
        assertThat(f.unknown()).as("ids no outbox row has").isZero();
        assertThat(f.missing()).as("deliveries never received").isZero();
        assertThat(f.duplicated()).as("deliveries received twice: " + DeliveryFigures.sample(f.duplicatedIds())).isZero();
        assertThat(f.delivered()).isEqualTo(NOTIFICATIONS);
        assertThat(f.unsent()).isZero();
    }

    @Test
    void aNodeKilledMidDispatchLeavesNothingUndeliveredAndOnlyItsInFlightSendsTwice() throws Exception {
        Map<String, String> shortLease = Map.of("DELIVERY_LEASE_SECONDS", Integer.toString(LEASE_SECONDS));
        HeraldProcess killed = node("a", shortLease);
        HeraldProcess survivor = node("b", shortLease);
        registerWebhooks(survivor);
        // All urgent: the largest share (16 sends per node), so the most sends are in flight at the kill.
        int share = DispatchConfig.defaults().shares().get(Priority.URGENT);

        // The killed node's creates end before the kill (none is sent to a dead node); the survivor's go on
        // through it, so the nodes' slots fill however fast they dispatch. Dispatch keeps pace with creates.
        int viaKilled = NOTIFICATIONS * 2 / 5;
        int acceptedByKilled = accepted(create(killed, viaKilled, i -> "urgent"));
        Future<CreateLoad.Report> rest = create(survivor, NOTIFICATIONS - viaKilled, i -> "urgent");
        await().atMost(SETTLE_BOUND).until(() -> receiver.received().size() >= NOTIFICATIONS / 3);
        CountDownLatch answers = new CountDownLatch(1);
        Set<String> inFlightAtKill;
        int receivedAtKill;
        try {
            receiver.respond(status(200).after(answers));
            // Every slot of both nodes holds a request waiting for its answer (none can be answered but
            // unsettled): the killed node has exactly its share in flight, each received once so far.
            await().atMost(Duration.ofSeconds(30)).alias("both nodes' urgent slots held at the receiver")
                    .until(() -> held(answers).size() == 2 * share);
            inFlightAtKill = held(answers);
            receivedAtKill = receiver.received().size();
            killed.kill9();
        } finally {
            answers.countDown();
        }
        int accepted = acceptedByKilled + accepted(rest);
        awaitAllSent();

        DeliveryFigures f = DeliveryFigures.of("dispatch-2nodes-kill9", accepted, StoredRows.outbox(schema, users), receiver,
                "received_at_kill=" + receivedAtKill + " in_flight_at_kill=" + inFlightAtKill.size() + " killed_node_share=" + share
                        + " sent_by_killed=" + DeliveryFigures.sentBy(killed) + " sent_by_survivor=" + DeliveryFigures.sentBy(survivor)
                        + " lease_s=" + LEASE_SECONDS).print();
        assertThat(accepted).isEqualTo(NOTIFICATIONS);
        assertThat(receiver.rejected()).as("requests with a bad signature").isZero();
        assertThat(f.unknown()).as("ids no outbox row has").isZero();
        assertThat(f.missing()).as("deliveries never received").isZero();
        assertThat(f.unsent()).as("outbox rows not sent").isZero();
        assertThat(f.duplicatedIds()).as("only sends in flight at the kill arrive twice").isSubsetOf(inFlightAtKill);
        assertThat(f.duplicated()).as("at most the killed node's in-flight sends, once more each").isLessThanOrEqualTo(share);
        assertThat(f.sameBody()).as("a repeat carries the same webhook-id and body, so a receiver dedupes it").isTrue();
    }
}
