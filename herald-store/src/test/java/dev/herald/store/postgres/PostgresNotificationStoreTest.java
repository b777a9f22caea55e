package dev.herald.store.postgres;

import dev.herald.core.store.InboxStore;
import dev.herald.core.store.NotificationStoreContract;
import org.junit.jupiter.api.AfterEach;

class PostgresNotificationStoreTest extends NotificationStoreContract {
    private String schema;

    @Override
    protected InboxStore newStore() {
        schema = TestPostgres.uniqueSchema();
        return PostgresNotificationStore.open(TestPostgres.URL, schema, 4);
    }

    @AfterEach
    void dropSchema() {
        store.close();
        TestPostgres.dropSchema(schema);
    }
}
