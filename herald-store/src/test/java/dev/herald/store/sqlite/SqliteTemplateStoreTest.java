package dev.herald.store.sqlite;

import dev.herald.core.store.Storage;
import dev.herald.core.store.TemplateStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteTemplateStoreTest extends TemplateStoreContract {
    @TempDir
    Path dataDir;

    @Override
    protected Storage newStorage() {
        return SqliteNotificationStore.open(dataDir, 4);
    }
}
