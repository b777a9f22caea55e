package dev.herald.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM in the middle of concurrent bulk creates: a graceful stop (seed 000: stop accepting,
 * drain in-flight work, close) answers every request that was already sent (202, or 503 to try
 * elsewhere), and everything it accepted is in the store after a restart.
 *
 * <p>The clients stop sending new requests just before the signal, so every request counted was
 * in flight (or queued on its connection) when it arrived; none may end with a broken connection.
 */
class DrainTest {
    private static final int CREATES = 4000;
    private static final int BATCH = 50;
    private static final int CONCURRENCY = 16;
    private static final int TERM_AFTER = 1000;

    @TempDir
    Path work;

    private final String run = "dr" + UUID.randomUUID().toString().substring(0, 8);
    private HeraldProcess node;

    @AfterEach
    void cleanUp() throws Exception {
        if (node != null) node.close();
    }

    @Test
    void aSigtermAnswersEveryRequestInFlightAndLosesNothing() throws Exception {
        node = HeraldProcess.start("drain", work, Map.of("SHUTDOWN_TIMEOUT_SECONDS", "20"));
        CreateLoad load = CreateLoad.against(node.base(), run).creates(CREATES).concurrency(CONCURRENCY).users(10).batch(BATCH).build();
        Future<CreateLoad.Report> done = load.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> load.accepted() >= TERM_AFTER);

        load.stop();
        int inFlight = load.sent() - load.accepted();
        node.terminate();
        CreateLoad.Report report = done.get(60, TimeUnit.SECONDS);
        int exit = node.awaitExit(Duration.ofSeconds(60));
        node.restart();

        Figures f = Figures.of("sigterm-drain", report, StoredRows.sqlite(work.resolve("drain-data"), load.recipientPrefix()),
                load::title, "in_flight_at_term=" + inFlight + " exit=" + exit).print();
        assertThat(report.cut()).as("creates whose request was cut without an answer").isZero();
        assertThat(report.failed()).as(report.firstFailure()).isZero();
        assertThat(f.lost()).isZero();
        assertThat(f.duplicated()).isZero();
    }
}
