package dev.herald.store.sqlite;

import dev.herald.core.store.PreferenceStoreContract;
import dev.herald.core.store.Storage;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqlitePreferenceStoreTest extends PreferenceStoreContract {
    @TempDir
    Path dataDir;

    @Override
    protected Storage newStorage() {
        return SqliteNotificationStore.open(dataDir, 4);
    }
}
