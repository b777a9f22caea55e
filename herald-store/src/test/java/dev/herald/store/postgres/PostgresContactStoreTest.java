package dev.herald.store.postgres;

import dev.herald.core.store.ContactStoreContract;
import dev.herald.core.store.Storage;
import org.junit.jupiter.api.AfterAll;

class PostgresContactStoreTest extends ContactStoreContract {
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
