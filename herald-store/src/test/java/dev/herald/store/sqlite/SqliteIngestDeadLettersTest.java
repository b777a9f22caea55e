package dev.herald.store.sqlite;

import dev.herald.core.ingest.IngestDeadLetters;
import dev.herald.core.store.IngestDeadLettersContract;
import dev.herald.core.store.Storage;
import dev.herald.store.InboxStores;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteIngestDeadLettersTest extends IngestDeadLettersContract {
    @TempDir
    Path dataDir;

    @Override
    protected Storage newStorage() {
        return SqliteNotificationStore.open(dataDir, 4);
    }

    @Override
    protected IngestDeadLetters deadLetters() {
        return InboxStores.ingestDeadLetters(storage);
    }
}
