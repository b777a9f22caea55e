package dev.herald.bench.inbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The inbox query benchmark: seeds each store with {@code --rows} notifications (default one
 * million: a heavy user with 200 000, typical users with 125 each, ~70 % read, 3 % with an expiry)
 * and measures the inbox queries through the store ports, the code the server runs. The measured
 * counterpart of herald-store/QUERY-PLANS.md.
 *
 * <p>Usage (normally through {@code bench/inbox.sh}, which builds and finds a JDK 21+):
 * <pre>
 * java -cp herald-bench.jar dev.herald.bench.inbox.InboxBench [--stores postgres,sqlite] [--rows 1000000]
 *     [--heavy-rows N (rows/5)] [--per-user 125] [--iterations 1000] [--warmup 50] [--max-seconds 10]
 *     [--deep-page 500] [--clients 32] [--mixed-seconds 20] [--pool-size 10]
 *     [--database-url $DATABASE_URL | postgres://postgres@127.0.0.1:5432/test] [--schema inbox_bench]
 *     [--data-dir DIR (a temporary one)] [--out bench/results]
 * </pre>
 * PostgreSQL: the schema is dropped if it exists, created by the store's Flyway migration and
 * dropped at the end. SQLite: a temporary data directory, deleted at the end. Each store writes
 * {@code inbox-<store>.json} and {@code inbox-<store>.md} into {@code --out}; the markdown is also
 * printed. Exit status 1 when any query returned a wrong answer.
 */
@Command(name = "inbox-bench", mixinStandardHelpOptions = true,
        description = "Measures Herald's inbox queries on PostgreSQL and SQLite at a given size.")
public final class InboxBench implements Callable<Integer> {
    @Option(names = "--stores", split = ",", defaultValue = "postgres,sqlite", description = "postgres, sqlite or both")
    List<String> stores;
    @Option(names = "--rows", defaultValue = "1000000") int rows;
    @Option(names = "--heavy-rows", defaultValue = "-1", description = "rows of the heavy user (default rows/5)") int heavyRows;
    @Option(names = "--per-user", defaultValue = "125", description = "rows of each typical user") int perUser;
    @Option(names = "--batch", defaultValue = "5000", description = "rows per saveAll while seeding") int batch;
    @Option(names = "--warmup", defaultValue = "50", description = "calls before measuring each query") int warmup;
    @Option(names = "--iterations", defaultValue = "1000", description = "measured calls per query, at most") int iterations;
    @Option(names = "--max-seconds", defaultValue = "10", description = "stop measuring a query after this long") double maxSeconds;
    @Option(names = "--deep-page", defaultValue = "500") int deepPage;
    @Option(names = "--clients", defaultValue = "32", description = "virtual threads of the mixed read load") int clients;
    @Option(names = "--mixed-seconds", defaultValue = "20", description = "duration of the mixed load (0 skips it)") double mixedSeconds;
    @Option(names = "--pool-size", defaultValue = "10", description = "store pool (DATABASE_POOL_SIZE)") int poolSize;
    @Option(names = "--database-url", defaultValue = "${env:DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}")
    String databaseUrl;
    @Option(names = "--schema", defaultValue = "inbox_bench", description = "PostgreSQL schema, created and dropped") String schema;
    @Option(names = "--data-dir", description = "SQLite data directory (default: a temporary one, deleted)") Path dataDir;
    @Option(names = "--out", defaultValue = "bench/results", description = "where inbox-<store>.json/.md go") Path out;
    @Option(names = "--seed", defaultValue = "42") long seed;

    public static void main(String[] args) {
        System.exit(new CommandLine(new InboxBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        long wrong = 0;
        List<InboxReport> reports = new ArrayList<>();
        for (String store : stores) {
            InboxRunConfig cfg = config(store.trim());
            System.err.printf("inbox-bench: %s, %,d rows%n", cfg.store(), cfg.rows());
            InboxReport r = InboxRun.run(cfg, System.err);
            r.write(out);
            reports.add(r);
            wrong += r.ops().stream().mapToLong(InboxReport.Op::mismatches).sum()
                    + (r.mixed() == null ? 0 : r.mixed().mismatches() + r.mixed().failures());
        }
        for (InboxReport r : reports) System.out.println(r.markdown());
        if (wrong > 0) System.err.println("inbox-bench: " + wrong + " wrong answers or failures, see the tables");
        return wrong == 0 ? 0 : 1;
    }

    InboxRunConfig config(String store) {
        return new InboxRunConfig(store, databaseUrl, schema, dataDir, rows, heavyRows < 0 ? rows / 5 : heavyRows,
                perUser, batch, warmup, iterations, maxSeconds, deepPage, clients, mixedSeconds, poolSize, seed);
    }
}
