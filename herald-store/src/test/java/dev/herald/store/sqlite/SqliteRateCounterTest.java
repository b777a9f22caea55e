package dev.herald.store.sqlite;

import dev.herald.core.store.RateCounterContract;
import dev.herald.core.store.Storage;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteRateCounterTest extends RateCounterContract {
    @TempDir
    Path dataDir;

    @Override
    protected Storage newStorage() {
        return SqliteNotificationStore.open(dataDir, 4);
    }
}
