package dev.herald.broker.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RedisConfigTest {
    @Test
    void readsHostPortAndDatabase() {
        RedisConfig c = RedisConfig.fromUrl("redis://cache.internal:6380/3");

        assertThat(c.host()).isEqualTo("cache.internal");
        assertThat(c.port()).isEqualTo(6380);
        assertThat(c.database()).isEqualTo(3);
        assertThat(c.tls()).isFalse();
        assertThat(c.password()).isNull();
    }

    @Test
    void defaultsToPort6379AndDatabaseZero() {
        RedisConfig c = RedisConfig.fromUrl("redis://localhost");

        assertThat(c.port()).isEqualTo(6379);
        assertThat(c.database()).isZero();
    }

    @Test
    void readsAPasswordOnlyUrlAndAUserWithPassword() {
        assertThat(RedisConfig.fromUrl("redis://:s3cr%40t@h:1/0").password()).isEqualTo("s3cr@t");
        assertThat(RedisConfig.fromUrl("redis://:s3cr%40t@h:1/0").username()).isNull();
        RedisConfig acl = RedisConfig.fromUrl("rediss://herald:pw@h/2");
        assertThat(acl.username()).isEqualTo("herald");
        assertThat(acl.password()).isEqualTo("pw");
        assertThat(acl.tls()).isTrue();
    }

    @Test
    void neverShowsThePassword() {
        RedisConfig c = RedisConfig.fromUrl("redis://herald:hunter2@h:6379/0");

        assertThat(c.toString()).doesNotContain("hunter2").contains("herald:****@h:6379/0");
        assertThat(c.redactedUrl()).doesNotContain("hunter2");
    }

    @Test
    void refusesBadUrlsNamingTheVariableWithoutEchoingThem() {
        for (String bad : new String[] {"http://h", "redis://:hunter2@h/abc", "redis://:hunter2@:0", "", "redis://:hunter2@h:99999"}) {
            assertThatThrownBy(() -> RedisConfig.fromUrl(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("REDIS_URL")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
        }
    }
}
