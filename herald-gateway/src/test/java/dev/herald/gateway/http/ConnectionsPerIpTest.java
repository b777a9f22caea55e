package dev.herald.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.core.http.HttpResponse;
import dev.herald.gateway.GatewayConfig;
import dev.herald.gateway.GatewayServer;
import dev.herald.gateway.testing.FakeAuthenticator;
import dev.herald.gateway.testing.RawConnection;
import dev.herald.gateway.testing.RawHttp;
import dev.herald.gateway.testing.RecordingSessionHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** MAX_CONNECTIONS_PER_IP: one address cannot hold the node's file descriptors (2 here). */
class ConnectionsPerIpTest {
    private GatewayServer server;

    @BeforeEach
    void start() throws Exception {
        GatewayConfig.Http h = GatewayConfig.Http.DEFAULTS;
        GatewayConfig config = GatewayConfig.defaults().withPort(0)
                .withHttp(new GatewayConfig.Http(h.headerTimeout(), h.bodyTimeout(), h.idleTimeout(), 2, 128));
        server = new GatewayServer(config, new FakeAuthenticator(), new RecordingSessionHandler(),
                List.of(req -> Optional.of(HttpResponse.json(200, "{}"))), Clock.systemUTC()).start();
    }

    @AfterEach
    void stop() {
        server.shutdown(Duration.ofSeconds(2));
    }

    private RawConnection served() throws Exception {
        RawConnection c = new RawConnection(server.port()).send(RawHttp.get("/x"));
        await().atMost(Duration.ofSeconds(5)).until(() -> c.received().endsWith("{}"));
        return c;
    }

    @Test
    void refusesAConnectionOverThePerIpCapWith429() throws Exception {
        try (RawConnection first = served(); RawConnection second = served(); RawConnection third = new RawConnection(server.port())) {
            await().atMost(Duration.ofSeconds(5)).until(third::closedByServer);

            assertThat(third.received()).startsWith("HTTP/1.1 429");
            assertThat(third.received()).contains("\"code\":\"CONNECTION_LIMIT_REACHED\"");
        }
    }

    @Test
    void givesTheSlotOfAClosedConnectionToTheNextOne() throws Exception {
        try (RawConnection first = served()) {
            served().close();

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                try (RawConnection next = new RawConnection(server.port()).send(RawHttp.get("/x"))) {
                    await().atMost(Duration.ofSeconds(5)).until(() -> next.closedByServer() || next.received().endsWith("{}"));
                    assertThat(next.received()).startsWith("HTTP/1.1 200");
                }
            });
        }
    }
}
