package dev.herald.broker.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NatsConfigTest {
    @Test
    void readsSeveralServers() {
        assertThat(NatsConfig.fromUrl("nats://a:4222, nats://b:4223").servers()).containsExactly("nats://a:4222", "nats://b:4223");
    }

    @Test
    void neverShowsCredentials() {
        assertThat(NatsConfig.fromUrl("nats://herald:hunter2@a:4222").toString()).doesNotContain("hunter2").contains("a:4222");
    }

    @Test
    void refusesBadUrlsNamingTheVariableWithoutEchoingThem() {
        for (String bad : new String[] {"", "http://u:hunter2@a", "nats://u:hunter2@:4222 x"}) {
            assertThatThrownBy(() -> NatsConfig.fromUrl(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("NATS_URL")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
        }
    }
}
