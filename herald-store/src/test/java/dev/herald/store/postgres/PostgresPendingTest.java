package dev.herald.store.postgres;

import dev.herald.core.store.PendingContract;
import dev.herald.core.store.Storage;
import org.junit.jupiter.api.AfterAll;

class PostgresPendingTest extends PendingContract {
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
