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
        assertThat(d.listen().port()).isEqualTo(3000);
        assertThat(d.protocol().pingInterval()).isEqualTo(Duration.ofSeconds(25));
        assertThat(d.protocol().pingTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(d.limits().maxPayloadBytes()).isEqualTo(1_000_000);
        assertThat(d.limits().outboundBufferBytes()).isEqualTo(1 << 20);
        assertThat(d.protocol().path()).isEqualTo("/socket.io/");
        assertThat(d.protocol().transports()).containsExactlyInAnyOrder(EngineTransport.WEBSOCKET, EngineTransport.POLLING);
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
        GatewayConfig.Protocol p = d.protocol();
        assertThatThrownBy(() -> new GatewayConfig.Protocol(p.pingInterval(), p.pingTimeout(), p.connectTimeout(),
                p.upgradeTimeout(), Set.of(), List.of(), "/socket.io/"))
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

        assertThat(c.listen().allowedOrigins()).containsExactly("https://a");
        assertThat(EnumSet.copyOf(c.protocol().transports())).hasSize(2);
    }
}
