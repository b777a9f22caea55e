package dev.herald.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * kill -9 in the middle of concurrent creates, on both stores: the node comes back on the same data,
 * the clients retry what went unanswered with the same Idempotency-Key, and the store must hold
 * every create exactly once.
 */
class KillNineTest {
    private static final int CREATES = 3000;
    private static final int CONCURRENCY = 32;
    private static final int USERS = 10;
    private static final int KILL_AFTER = 1000;

    @TempDir
    Path work;

    private final String run = "k9" + UUID.randomUUID().toString().substring(0, 8);
    private final String schema = "faults_" + run;
    private HeraldProcess node;
    private boolean usedPostgres;

    @AfterEach
    void cleanUp() throws Exception {
        if (node != null) node.close();
        if (usedPostgres) StoredRows.dropSchema(schema);
    }

    private Map<String, String> store(String store) {
        Map<String, String> env = new HashMap<>();
        if (store.equals("postgres")) {
            usedPostgres = true;
            env.put("DATABASE_URL", StoredRows.PG_URL);
            env.put("DATABASE_SCHEMA", schema);
        }
        return env;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgres"})
    void everyAcceptedCreateIsStoredOnceAfterAKill9(String store) throws Exception {
        node = HeraldProcess.start("kill9-" + store, work, store(store));
        CreateLoad load = CreateLoad.against(node.base(), run).creates(CREATES).concurrency(CONCURRENCY).users(USERS).retrying().build();
        Future<CreateLoad.Report> done = load.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> load.accepted() >= KILL_AFTER);

        load.pause();
        int acceptedBeforeKill = load.accepted();
        node.kill9();
        node.restart();
        load.resume();
        CreateLoad.Report report = done.get(180, TimeUnit.SECONDS);

        List<StoredRows.Row> rows = store.equals("postgres") ? StoredRows.postgres(schema, load.recipientPrefix())
                : StoredRows.sqlite(work.resolve("kill9-" + store + "-data"), load.recipientPrefix());
        Figures f = Figures.of("kill9-" + store, report, rows, load::title,
                "accepted_before_kill=" + acceptedBeforeKill + " kills=1").print();
        assertThat(report.failed()).as(report.firstFailure()).isZero();
        assertThat(f.accepted()).isEqualTo(CREATES);
        assertThat(f.lost()).isZero();
        assertThat(f.duplicated()).isZero();
        assertThat(f.stored()).isEqualTo(CREATES);
    }
}
