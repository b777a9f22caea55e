package dev.herald.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import org.junit.jupiter.api.Test;

class DatabaseUrlTest {
    @Test
    void readsAHerokuStyleUrlWithCredentialsAndParameters() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://herald:s%40cret@db.example:6543/inbox?sslmode=require");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/inbox?sslmode=require");
        assertThat(url.user()).isEqualTo("herald");
        assertThat(url.password()).isEqualTo("s@cret");
    }

    @Test
    void defaultsThePortAndAllowsNoPassword() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://postgres@127.0.0.1/test");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/test");
        assertThat(url.user()).isEqualTo("postgres");
        assertThat(url.password()).isNull();
    }

    @Test
    void passesAJdbcUrlThrough() {
        assertThat(DatabaseUrl.parse("jdbc:postgresql://h/db?user=a").jdbcUrl()).isEqualTo("jdbc:postgresql://h/db?user=a");
    }

    @Test
    void refusesAnotherSchemeNamingTheVariableWithoutEchoingIt() {
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://root:hunter2@h/db"))
                .isInstanceOfSatisfying(HeraldException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("DATABASE_URL")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void neverPrintsThePassword() {
        assertThat(DatabaseUrl.parse("postgres://u:hunter2@h/db").toString()).doesNotContain("hunter2");
    }
}
