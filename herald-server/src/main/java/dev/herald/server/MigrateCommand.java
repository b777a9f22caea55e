package dev.herald.server;

import dev.herald.core.store.Storage;
import dev.herald.server.config.Env;
import dev.herald.server.config.HeraldConfig;
import dev.herald.server.config.Secret;
import dev.herald.store.InboxStores;
import dev.herald.store.StoreConfig;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code herald migrate}: applies the store's pending migrations (PostgreSQL with DATABASE_URL, or
 * the embedded SQLite store under HERALD_DATA_DIR) and exits, so a deployment can migrate once
 * before rolling out nodes. {@code serve} migrates too; running both is harmless.
 */
@Command(name = "migrate", description = "Apply the store's migrations and exit.")
final class MigrateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private final Env env;

    MigrateCommand(Env env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        HeraldConfig.Storage st = HeraldConfig.from(env).storage();
        StoreConfig config = new StoreConfig(st.dataDir(), st.databaseUrl().map(Secret::value).orElse(null), st.schema(), 2,
                st.retentionDays());
        PrintWriter out = spec.commandLine().getOut();
        try (Storage ignored = InboxStores.openStorage(config)) {
            out.println("herald migrate: " + config + " is up to date");
        }
        out.flush();
        return 0;
    }
}
