package dev.herald.store.postgres;

import dev.herald.core.store.OutboxStoreContract;
import dev.herald.core.store.Storage;
import org.junit.jupiter.api.AfterAll;

class PostgresOutboxStoreTest extends OutboxStoreContract {
    private static final TestPostgres.ClassSchema SCHEMA = new TestPostgres.ClassSchema();

    @Override
    protected Storage newStorage() {
        return SCHEMA.freshStorage();
    }

    @AfterAll
    static void dropSchema() {
        SCHEMA.drop();
    }
}
