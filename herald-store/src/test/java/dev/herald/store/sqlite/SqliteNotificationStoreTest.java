package dev.herald.store.sqlite;

import dev.herald.core.store.InboxStore;
import dev.herald.core.store.NotificationStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteNotificationStoreTest extends NotificationStoreContract {
    @TempDir
    Path dataDir;

    @Override
    protected InboxStore newStore() {
        return SqliteNotificationStore.open(dataDir, 4);
    }
}
