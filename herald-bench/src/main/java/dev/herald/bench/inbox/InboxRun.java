package dev.herald.bench.inbox;

import dev.herald.bench.report.Machine;
import dev.herald.core.deliver.live.LiveNotifier;
import dev.herald.core.inbox.InboxService;
import dev.herald.core.memory.MemoryBroker;
import dev.herald.core.route.Hub;
import dev.herald.core.store.InboxStore;
import dev.herald.core.store.Storage;
import dev.herald.store.InboxStores;
import dev.herald.store.StorageInboxStore;
import dev.herald.store.StoreConfig;
import dev.herald.store.postgres.DatabaseUrl;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * One store end to end: open it through {@link InboxStores#open} (as the server does), seed it
 * through {@code saveAll}, measure every {@link InboxQueries} call alone and then the concurrent
 * mix, and remove what it created (the PostgreSQL schema, the SQLite directory) whatever happens.
 *
 * <p>Threading: blocking; the mixed load runs on virtual threads of its own.
 */
final class InboxRun {
    private static final long HIGHEST_NANOS = TimeUnit.MINUTES.toNanos(2);

    private InboxRun() {}

    static InboxReport run(InboxRunConfig cfg, PrintStream log) throws Exception {
        String loadBefore = loadAverage();
        Path dataDir = cfg.dataDir();
        boolean tempDir = dataDir == null && cfg.store().equals("sqlite");
        if (tempDir) dataDir = Files.createTempDirectory("herald-inbox-bench");
        String database;
        if (cfg.store().equals("postgres")) {
            database = postgres(cfg, "SELECT version()");
            postgres(cfg, "DROP SCHEMA IF EXISTS " + cfg.schema() + " CASCADE");
        } else {
            database = "SQLite " + sqliteVersion() + " (WAL, synchronous=FULL), file in " + dataDir;
        }
        StoreConfig storeConfig = new StoreConfig(dataDir == null ? Path.of("data") : dataDir,
                cfg.store().equals("postgres") ? cfg.databaseUrl() : null, cfg.schema(), cfg.poolSize(),
                StoreConfig.DEFAULT_RETENTION_DAYS);
        try (Storage storage = InboxStores.openStorage(storeConfig)) {
            InboxStore store = new StorageInboxStore(storage);
            Dataset data = new Dataset(cfg.rows(), cfg.heavyRows(), cfg.perUser(), markReadPool(cfg), cfg.seed());
            InboxReport.Seed seed = seed(cfg, store, data, log);
            InboxService service = new InboxService(storage, new LiveNotifier(new Hub(new MemoryBroker())),
                    Clock.fixed(data.now, ZoneOffset.UTC));
            InboxQueries queries = new InboxQueries(data, store, service, cfg.deepPage());
            List<InboxReport.Op> ops = new ArrayList<>();
            for (InboxQueries.Query q : queries.all()) {
                int iterations = cfg.iterations();
                int warmup = cfg.warmup();
                if (q.name().startsWith("markRead")) {
                    // Each call marks a different unread row, so the pool bounds the calls.
                    warmup = Math.min(warmup, queries.markReadLeft() / 2);
                    iterations = Math.max(1, Math.min(iterations, queries.markReadLeft() - warmup));
                }
                InboxReport.Op op = measure(q, warmup, iterations, cfg.maxSecondsPerQuery(), cfg.seed(), log);
                log.printf("  %-42s p50 %8.3f ms  p99 %8.3f ms  %8.0f ops/s  (%d calls, %d wrong)%n", op.name(),
                        op.p50Ms(), op.p99Ms(), op.opsPerSecond(), op.calls(), op.mismatches());
                ops.add(op);
            }
            InboxReport.Mixed mixed = cfg.mixedSeconds() == 0 ? null : mixed(queries, cfg);
            if (mixed != null) {
                log.printf("  mixed: %d clients, %.0f queries/s, p50 %.3f ms, p99 %.3f ms, %d wrong, %d failed%n",
                        mixed.clients(), mixed.queriesPerSecond(), mixed.p50Ms(), mixed.p99Ms(), mixed.mismatches(),
                        mixed.failures());
            }
            List<String> notes = new ArrayList<>();
            notes.add("Every call goes through the store ports (InboxReader.page/after, InboxService.pending/markRead) "
                    + "on the store InboxStores.open returns; times include JDBC, pool checkout and row mapping.");
            notes.add("page() always counts: a page runs the row query, count(*) of the filter and count(*) of unread "
                    + "(an unread-only page without other filters reuses its total as the unread count).");
            if (cfg.store().equals("sqlite")) {
                notes.add("SQLite gets no ANALYZE (the server never runs one), so its planner works without statistics.");
            } else {
                notes.add("VACUUM ANALYZE after seeding, as autovacuum would after a bulk load (visibility map for index-only scans).");
            }
            return new InboxReport(cfg.store(), database, Machine.describe(), loadBefore, loadAverage(), cfg.describe(),
                    seed, ops, mixed, notes);
        } finally {
            if (cfg.store().equals("postgres")) postgres(cfg, "DROP SCHEMA IF EXISTS " + cfg.schema() + " CASCADE");
            if (tempDir) deleteTree(dataDir);
        }
    }

    private static int markReadPool(InboxRunConfig cfg) {
        return cfg.warmup() + cfg.iterations();
    }

    private static InboxReport.Seed seed(InboxRunConfig cfg, InboxStore store, Dataset data, PrintStream log) throws SQLException {
        long start = System.nanoTime();
        AtomicLong written = new AtomicLong();
        long step = Math.max(cfg.batch(), cfg.rows() / 10);
        data.generate(cfg.batch(), rows -> {
            store.saveAll(rows, null, data.now);
            long before = written.getAndAdd(rows.size());
            if ((before + rows.size()) / step > before / step) {
                log.printf("  seeded %,d rows (%.0f s)%n", before + rows.size(), (System.nanoTime() - start) / 1e9);
            }
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        long analyzeStart = System.nanoTime();
        if (cfg.store().equals("postgres")) postgres(cfg, "VACUUM ANALYZE " + cfg.schema() + ".notifications");
        double analyze = (System.nanoTime() - analyzeStart) / 1e9;
        log.printf("  seeded %,d rows in %.1f s, statistics %.1f s%n", written.get(), seconds, analyze);
        return new InboxReport.Seed(written.get(), seconds, written.get() / seconds, analyze);
    }

    static InboxReport.Op measure(InboxQueries.Query q, int warmup, int iterations, double maxSeconds, long seed,
                                  PrintStream log) {
        Random rnd = new Random(seed ^ q.name().hashCode());
        long wrong = 0;
        for (int i = 0; i < warmup; i++) if (!call(q, rnd, log)) wrong++;
        Histogram h = new Histogram(HIGHEST_NANOS, 3);
        long start = System.nanoTime();
        long deadline = start + (long) (maxSeconds * 1e9);
        long calls = 0;
        while (calls < iterations && (calls == 0 || System.nanoTime() < deadline)) {
            long t0 = System.nanoTime();
            boolean ok = call(q, rnd, log);
            h.recordValue(Math.min(System.nanoTime() - t0, HIGHEST_NANOS));
            calls++;
            if (!ok) wrong++;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        return new InboxReport.Op(q.name(), q.call(), calls, wrong, ms(h.getValueAtPercentile(50)),
                ms(h.getValueAtPercentile(99)), ms(h.getMaxValue()), calls / elapsed);
    }

    private static boolean call(InboxQueries.Query q, Random rnd, PrintStream log) {
        try {
            return q.check().run(rnd);
        } catch (RuntimeException e) {
            log.println("  " + q.name() + " failed: " + e);
            return false;
        }
    }

    private record Client(Histogram latency, long queries, long wrong, long failed) {}

    static InboxReport.Mixed mixed(InboxQueries queries, InboxRunConfig cfg) throws Exception {
        long start = System.nanoTime();
        long deadline = start + (long) (cfg.mixedSeconds() * 1e9);
        List<Future<Client>> futures = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < cfg.clients(); c++) {
                Random rnd = new Random(cfg.seed() * 31 + c);
                futures.add(threads.submit(() -> {
                    Histogram h = new Histogram(HIGHEST_NANOS, 3);
                    long n = 0, wrong = 0, failed = 0;
                    while (n == 0 || System.nanoTime() < deadline) {
                        long t0 = System.nanoTime();
                        try {
                            if (!queries.mixed(rnd)) wrong++;
                        } catch (RuntimeException e) {
                            failed++;
                        }
                        h.recordValue(Math.min(System.nanoTime() - t0, HIGHEST_NANOS));
                        n++;
                    }
                    return new Client(h, n, wrong, failed);
                }));
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        Histogram all = new Histogram(HIGHEST_NANOS, 3);
        long n = 0, wrong = 0, failed = 0;
        for (Future<Client> f : futures) {
            Client c = f.get();
            all.add(c.latency());
            n += c.queries();
            wrong += c.wrong();
            failed += c.failed();
        }
        return new InboxReport.Mixed(cfg.clients(), elapsed, InboxQueries.MIX, n, wrong, failed, n / elapsed,
                ms(all.getValueAtPercentile(50)), ms(all.getValueAtPercentile(99)), ms(all.getMaxValue()));
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    /** Runs one statement outside the store's pool (schema drop, VACUUM, version); returns the first cell. */
    private static String postgres(InboxRunConfig cfg, String sql) throws SQLException {
        DatabaseUrl url = DatabaseUrl.parse(cfg.databaseUrl());
        Properties props = new Properties();
        if (url.user() != null) props.setProperty("user", url.user());
        if (url.password() != null) props.setProperty("password", url.password());
        try (Connection c = DriverManager.getConnection(url.jdbcUrl(), props); Statement s = c.createStatement()) {
            if (!s.execute(sql)) return null;
            try (ResultSet rs = s.getResultSet()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static String sqliteVersion() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT sqlite_version()")) {
            return rs.next() ? rs.getString(1) : "?";
        }
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
