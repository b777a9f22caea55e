package dev.herald.bench.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's own code at 2 000 rows on both real stores. Asserts only that every measured
 * query ran and answered exactly what the dataset says (rows, totals, unread counts, order), and
 * that the reports are written: never a time.
 */
class InboxBenchSmokeTest {
    private static final String DATABASE_URL = System.getenv().getOrDefault("HERALD_TEST_DATABASE_URL",
            "postgres://postgres@127.0.0.1:5432/test");

    @TempDir
    Path out;

    private static InboxRunConfig tiny(String store, String schema) {
        // Deep page 10 so that, at 400 heavy rows, it still returns rows to check.
        return new InboxRunConfig(store, DATABASE_URL, schema, null, 2_000, 400, 125, 300, 3, 20, 30, 10, 4, 0.5, 4, 7);
    }

    private static InboxReport run(InboxRunConfig cfg) throws Exception {
        return InboxRun.run(cfg, new PrintStream(new ByteArrayOutputStream()));
    }

    @Test
    void everySqliteQueryReturnsTheExpectedRows() throws Exception {
        InboxReport r = run(tiny("sqlite", "inbox_bench_unused"));

        assertEveryAnswerRight(r);
    }

    @Test
    void everyPostgresQueryReturnsTheExpectedRows() throws Exception {
        InboxReport r = run(tiny("postgres", "inbox_bench_smoke_" + UUID.randomUUID().toString().substring(0, 8)));

        assertEveryAnswerRight(r);
    }

    @Test
    void writesJsonAndMarkdownForTheStore() throws Exception {
        InboxReport r = run(tiny("sqlite", "inbox_bench_unused"));

        r.write(out);

        assertThat(out.resolve("inbox-sqlite.json")).exists();
        assertThat(Files.readString(out.resolve("inbox-sqlite.md"))).contains("page 1, heavy user", "Mixed read load");
    }

    private static void assertEveryAnswerRight(InboxReport r) {
        assertThat(r.seed().rows()).isEqualTo(2_000);
        assertThat(r.ops()).hasSize(12);
        assertThat(r.ops()).allSatisfy(op -> {
            assertThat(op.calls()).as(op.name()).isPositive();
            assertThat(op.mismatches()).as(op.name()).isZero();
        });
        assertThat(r.mixed().queries()).isPositive();
        assertThat(r.mixed().mismatches()).isZero();
        assertThat(r.mixed().failures()).isZero();
    }
}
