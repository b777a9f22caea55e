package dev.herald.store.postgres;

import dev.herald.core.ingest.IngestDeadLetters;
import dev.herald.core.store.IngestDeadLettersContract;
import dev.herald.core.store.Storage;
import dev.herald.store.InboxStores;
import org.junit.jupiter.api.AfterAll;

class PostgresIngestDeadLettersTest extends IngestDeadLettersContract {
    private static final TestPostgres.ClassSchema SCHEMA = new TestPostgres.ClassSchema();

    @Override
    protected Storage newStorage() {
        return SCHEMA.freshStorage();
    }

    @Override
    protected IngestDeadLetters deadLetters() {
        return InboxStores.ingestDeadLetters(storage);
    }

    @AfterAll
    static void dropSchema() {
        SCHEMA.drop();
    }
}
