package dev.herald.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.core.deliver.live.DisconnectReason;
import dev.herald.core.deliver.live.OutboundEvent;
import dev.herald.core.deliver.live.Session;
import dev.herald.gateway.testing.FakeAuthenticator;
import dev.herald.gateway.testing.RawWebSocket;
import dev.herald.gateway.testing.RecordingSessionHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A client that stops reading is dropped with slow_consumer; the server never buffers for it without bound. */
class SlowConsumerTest {
    private static final int BUFFER = 64 * 1024;
    private final RecordingSessionHandler handler = new RecordingSessionHandler();
    private GatewayServer server;

    @BeforeEach
    void start() throws Exception {
        server = new GatewayServer(GatewayConfig.defaults().withPort(0).withOutboundBufferBytes(BUFFER),
                new FakeAuthenticator(), handler, List.of(), Clock.systemUTC()).start();
    }

    @AfterEach
    void stop() {
        server.shutdown(Duration.ofSeconds(2));
    }

    /** One 32 KB event, encoded once and sent again and again, as a broadcast would. */
    private static final OutboundEvent BIG = new OutboundEvent("blob", "\"" + "x".repeat(32 * 1024) + "\"");

    private int floodUntilDropped(Session session) {
        AtomicInteger accepted = new AtomicInteger();
        await().pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(20)).until(() -> {
            if (session.send(BIG)) accepted.incrementAndGet();
            return !session.isOpen();
        });
        return accepted.get();
    }

    @Test
    void dropsASocketIoClientThatStopsReading() throws Exception {
        try (RawWebSocket client = new RawWebSocket(server.port(), "/socket.io/?EIO=4&transport=websocket", 4096)) {
            client.sendText("40{\"token\":\"user:slow\"}");
            await().until(() -> !handler.sessions.isEmpty());
            Session session = handler.sessions.getFirst();

            int accepted = floodUntilDropped(session);

            await().until(() -> handler.closedReasons.containsValue(DisconnectReason.SLOW_CONSUMER));
            assertThat(server.metrics().slowConsumerDrops()).isEqualTo(1);
            // Bounded: the kernel's socket buffers plus our high-water mark, not the whole flood.
            assertThat((long) accepted * 32 * 1024).isLessThan(64L * 1024 * 1024);
            assertThat(client.awaitEof(5000)).isTrue();
        }
    }

    @Test
    void dropsAPlainWebSocketClientThatStopsReading() throws Exception {
        try (RawWebSocket client = new RawWebSocket(server.port(), "/ws?token=user:slow", 4096)) {
            await().until(() -> !handler.sessions.isEmpty());
            Session session = handler.sessions.getFirst();

            floodUntilDropped(session);

            await().until(() -> handler.closedReasons.containsValue(DisconnectReason.SLOW_CONSUMER));
            assertThat(server.metrics().slowConsumerDrops()).isEqualTo(1);
            assertThat(client.awaitEof(5000)).isTrue();
        }
    }

    @Test
    void tellsADroppedSocketIoClientWhyBeforeClosing() throws Exception {
        try (RawWebSocket client = new RawWebSocket(server.port(), "/socket.io/?EIO=4&transport=websocket", 4096)) {
            client.sendText("40{\"token\":\"user:slow\"}");
            await().until(() -> !handler.sessions.isEmpty());

            floodUntilDropped(handler.sessions.getFirst());
            List<RawWebSocket.Frame> frames = client.readUntilClose(10_000);

            assertThat(frames).as("a close frame").isNotNull();
            assertThat(frames).extracting(RawWebSocket.Frame::text).contains("42[\"error\",{\"code\":\"SLOW_CONSUMER\","
                    + "\"message\":\"client did not read fast enough\"}]", "41");
        }
    }

    @Test
    void tellsADroppedPlainWebSocketClientWhyBeforeClosing() throws Exception {
        try (RawWebSocket client = new RawWebSocket(server.port(), "/ws?token=user:slow", 4096)) {
            await().until(() -> !handler.sessions.isEmpty());

            floodUntilDropped(handler.sessions.getFirst());
            List<RawWebSocket.Frame> frames = client.readUntilClose(10_000);

            assertThat(frames).as("a close frame").isNotNull();
            assertThat(frames).extracting(RawWebSocket.Frame::text).contains("{\"event\":\"error\",\"data\":{\"code\":"
                    + "\"SLOW_CONSUMER\",\"message\":\"client did not read fast enough\"}}");
        }
    }
}
