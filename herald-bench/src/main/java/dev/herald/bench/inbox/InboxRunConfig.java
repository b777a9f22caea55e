package dev.herald.bench.inbox;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One store's benchmark run.
 *
 * @param store {@code postgres} or {@code sqlite}
 * @param databaseUrl PostgreSQL URL (the {@code DATABASE_URL} shapes); ignored for SQLite
 * @param schema PostgreSQL schema the run creates and drops (must not exist with data you want)
 * @param dataDir SQLite data directory; null for a temporary one, deleted afterwards
 * @param rows notifications seeded; {@code heavyRows} of them to the heavy user, the rest to
 *     typical users of {@code perUser} rows each
 * @param batch rows per {@code saveAll} while seeding
 * @param warmup calls before measuring each query; {@code iterations} measured calls at most,
 *     stopping early after {@code maxSecondsPerQuery}
 * @param deepPage the page number of the deep-page query
 * @param clients virtual threads of the mixed load, run for {@code mixedSeconds} (0 skips it)
 * @param poolSize the store's connection pool ({@code DATABASE_POOL_SIZE}, default 10)
 */
record InboxRunConfig(String store, String databaseUrl, String schema, Path dataDir, int rows, int heavyRows, int perUser,
                      int batch, int warmup, int iterations, double maxSecondsPerQuery, int deepPage, int clients,
                      double mixedSeconds, int poolSize, long seed) {
    InboxRunConfig {
        if (!store.equals("postgres") && !store.equals("sqlite")) throw new IllegalArgumentException("store: postgres or sqlite");
        if (store.equals("postgres")) Objects.requireNonNull(databaseUrl, "databaseUrl");
        if (!schema.matches("[a-z_][a-z0-9_]{0,62}") || schema.equals("public")) {
            throw new IllegalArgumentException("schema: a dedicated lower-case identifier, never public (it is dropped)");
        }
        if (rows < 10 || heavyRows < 1 || heavyRows >= rows || perUser < 1) {
            throw new IllegalArgumentException("need rows >= 10, 1 <= heavy-rows < rows, per-user >= 1");
        }
        if (batch < 1 || warmup < 0 || iterations < 1 || maxSecondsPerQuery <= 0 || deepPage < 1 || clients < 1
                || mixedSeconds < 0 || poolSize < 1) {
            throw new IllegalArgumentException("batch, iterations, deep-page, clients, pool-size must be positive");
        }
    }

    /** The parameters worth printing next to the numbers. */
    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rows", rows);
        m.put("heavyRows", heavyRows);
        m.put("perUser", perUser);
        m.put("warmup", warmup);
        m.put("iterations", iterations);
        m.put("maxSecondsPerQuery", maxSecondsPerQuery);
        m.put("clients", clients);
        m.put("mixedSeconds", mixedSeconds);
        m.put("poolSize", poolSize);
        m.put("seed", seed);
        return m;
    }
}
