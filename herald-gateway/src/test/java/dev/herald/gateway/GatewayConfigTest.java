package dev.herald.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.gateway.GatewayConfig.EngineTransport;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GatewayConfigTest {
    private final GatewayConfig d = GatewayConfig.defaults();

    @Test
    void defaultsFollowTheSeeds() {
        assertThat(d.port()).isEqualTo(3000);
        assertThat(d.pingInterval()).isEqualTo(Duration.ofSeconds(25));
        assertThat(d.pingTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(d.maxPayloadBytes()).isEqualTo(1_000_000);
        assertThat(d.outboundBufferBytes()).isEqualTo(1 << 20);
        assertThat(d.path()).isEqualTo("/socket.io/");
        assertThat(d.transports()).containsExactlyInAnyOrder(EngineTransport.WEBSOCKET, EngineTransport.POLLING);
    }

    @Test
    void namesTheVariableOfABadPort() {
        assertThatThrownBy(() -> d.withPort(70000)).hasMessageContaining("SOCKETIO_PORT");
    }

    @Test
    void refusesANonPositivePing() {
        assertThatThrownBy(() -> d.withHeartbeat(Duration.ZERO, Duration.ofSeconds(1))).hasMessageContaining("PING_INTERVAL");
    }

    @Test
    void refusesToDisableBothTransports() {
        assertThatThrownBy(() -> new GatewayConfig("0.0.0.0", 0, d.pingInterval(), d.pingTimeout(), d.maxPayloadBytes(),
                d.connectTimeout(), d.upgradeTimeout(), List.of(), Set.of(), d.outboundBufferBytes(), 1, 1, List.of(), "/socket.io/"))
                .hasMessageContaining("ENABLE_WEBSOCKET");
    }

    @Test
    void refusesANamespaceWithoutLeadingSlash() {
        assertThatThrownBy(() -> d.withNamespaces(List.of("admin"))).hasMessageContaining("namespace");
    }

    @Test
    void refusesANonPositiveRateLimit() {
        assertThatThrownBy(() -> d.withRateLimit(0, 10)).hasMessageContaining("eventsPerSecond");
    }

    @Test
    void copiesItsLists() {
        var origins = new java.util.ArrayList<>(List.of("https://a"));
        GatewayConfig c = d.withAllowedOrigins(origins);
        origins.add("https://b");

        assertThat(c.allowedOrigins()).containsExactly("https://a");
        assertThat(EnumSet.copyOf(c.transports())).hasSize(2);
    }
}
