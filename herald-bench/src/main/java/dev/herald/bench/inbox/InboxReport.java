package dev.herald.bench.inbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What one store did: how long seeding took, then one row per measured query, then the mixed
 * load. {@code mismatches} counts calls, warm-up included, whose answer differed from the dataset's
 * expectation (rows, totals, unread count, order) or that threw: a benchmark of wrong answers is
 * worthless, so it must be 0.
 */
record InboxReport(String store, String database, String machine, String loadBefore, String loadAfter,
                   Map<String, Object> params, Seed seed, List<Op> ops, Mixed mixed, List<String> notes) {

    /** Seeding through {@code saveAll}, then the statistics step ({@code VACUUM ANALYZE} on PostgreSQL). */
    record Seed(long rows, double seconds, double rowsPerSecond, double analyzeSeconds) {}

    /** One query measured alone on one thread, after warm-up. Times in milliseconds. */
    record Op(String name, String query, long calls, long mismatches, double p50Ms, double p99Ms, double maxMs,
              double opsPerSecond) {}

    /** {@code clients} virtual threads issuing the read mix for {@code seconds}. */
    record Mixed(int clients, double seconds, String mix, long queries, long mismatches, long failures,
                 double queriesPerSecond, double p50Ms, double p99Ms, double maxMs) {}

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Writes {@code inbox-<store>.json} and {@code .md} into {@code dir}. */
    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        JSON.writeValue(dir.resolve("inbox-" + store + ".json").toFile(), this);
        Files.writeString(dir.resolve("inbox-" + store + ".md"), markdown());
    }

    String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("### Inbox at ").append(String.format("%,d", seed.rows())).append(" rows — ").append(store).append("\n\n");
        b.append("Database: ").append(database).append("  \nMachine: ").append(machine)
                .append("  \nLoad average before / after: ").append(loadBefore).append(" / ").append(loadAfter)
                .append("  \nParameters: ").append(params).append("\n\n");
        b.append(String.format("Seeded %,d rows through `saveAll` in %.1f s (%,.0f rows/s); statistics step %.1f s.%n%n",
                seed.rows(), seed.seconds(), seed.rowsPerSecond(), seed.analyzeSeconds()));
        b.append("| query | port call | calls | p50 ms | p99 ms | max ms | ops/s | wrong answers |\n");
        b.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (Op o : ops) {
            b.append(String.format("| %s | %s | %,d | %s | %s | %s | %,.0f | %d |%n", o.name(), o.query(), o.calls(),
                    ms(o.p50Ms()), ms(o.p99Ms()), ms(o.maxMs()), o.opsPerSecond(), o.mismatches()));
        }
        if (mixed != null) {
            b.append(String.format("%nMixed read load: %d virtual-thread clients for %.0f s (%s): **%,.0f queries/s**, "
                            + "p50 %s ms, p99 %s ms, max %s ms; %,d queries, %d wrong answers, %d failures.%n",
                    mixed.clients(), mixed.seconds(), mixed.mix(), mixed.queriesPerSecond(), ms(mixed.p50Ms()),
                    ms(mixed.p99Ms()), ms(mixed.maxMs()), mixed.queries(), mixed.mismatches(), mixed.failures()));
        }
        for (String n : notes) b.append("\n- ").append(n);
        return b.append('\n').toString();
    }

    private static String ms(double v) {
        return v < 10 ? String.format("%.2f", v) : v < 100 ? String.format("%.1f", v) : String.format("%.0f", v);
    }
}
