package dev.herald.store.sqlite;

import dev.herald.core.store.PendingContract;
import dev.herald.core.store.Storage;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqlitePendingTest extends PendingContract {
    @TempDir
    Path dataDir;

    @Override
    protected Storage newStorage() {
        return SqliteNotificationStore.open(dataDir, 4);
    }
}
