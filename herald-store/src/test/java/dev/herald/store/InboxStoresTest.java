package dev.herald.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.HeraldException;
import dev.herald.core.inbox.InboxQuery;
import dev.herald.store.postgres.TestPostgres;
import dev.herald.store.sqlite.SqliteNotificationStore;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InboxStoresTest {
    @TempDir
    Path dataDir;

    @Test
    void opensTheEmbeddedStoreWhenNoDatabaseUrlIsSet() {
        try (var store = InboxStores.open(StoreConfig.embedded(dataDir))) {
            assertThat(store.page(new InboxQuery("nobody", 1, 1, false, null, null, Instant.EPOCH)).total()).isZero();
            assertThat(dataDir.resolve(SqliteNotificationStore.FILE_NAME)).exists();
        }
    }

    @Test
    void opensPostgresWhenADatabaseUrlIsSet() {
        String schema = TestPostgres.uniqueSchema();
        try (var store = InboxStores.open(new StoreConfig(dataDir, "postgres://postgres@127.0.0.1:5432/test", schema, 2, 30))) {
            assertThat(store.page(new InboxQuery("nobody", 1, 1, false, null, null, Instant.EPOCH)).total()).isZero();
            assertThat(dataDir.resolve(SqliteNotificationStore.FILE_NAME)).doesNotExist();
        } finally {
            TestPostgres.dropSchema(schema);
        }
    }

    @Test
    void refusesABadPoolSizeNamingTheVariable() {
        assertThatThrownBy(() -> new StoreConfig(dataDir, null, null, 0, 30))
                .isInstanceOf(HeraldException.class).hasMessageContaining("DATABASE_POOL_SIZE");
    }
}
