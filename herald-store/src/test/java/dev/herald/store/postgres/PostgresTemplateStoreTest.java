package dev.herald.store.postgres;

import dev.herald.core.store.Storage;
import dev.herald.core.store.TemplateStoreContract;
import org.junit.jupiter.api.AfterAll;

class PostgresTemplateStoreTest extends TemplateStoreContract {
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
