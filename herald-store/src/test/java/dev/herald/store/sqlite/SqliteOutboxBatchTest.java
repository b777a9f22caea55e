package dev.herald.store.sqlite;

import dev.herald.core.store.OutboxBatchContract;
import dev.herald.core.store.Storage;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteOutboxBatchTest extends OutboxBatchContract {
    @TempDir
    Path dataDir;

    @Override
    protected Storage newStorage() {
        return SqliteNotificationStore.open(dataDir, 4);
    }
}
