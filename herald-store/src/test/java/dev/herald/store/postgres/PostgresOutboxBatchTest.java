package dev.herald.store.postgres;

import dev.herald.core.store.OutboxBatchContract;
import dev.herald.core.store.Storage;
import org.junit.jupiter.api.AfterAll;

class PostgresOutboxBatchTest extends OutboxBatchContract {
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
