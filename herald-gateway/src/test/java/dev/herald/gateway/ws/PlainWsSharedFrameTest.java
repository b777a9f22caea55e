package dev.herald.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.core.deliver.live.OutboundEvent;
import dev.herald.gateway.GatewayConfig;
import dev.herald.gateway.GatewayMetrics;
import dev.herald.gateway.SessionRegistry;
import dev.herald.gateway.WsFrames;
import dev.herald.gateway.testing.FakeAuthenticator;
import dev.herald.gateway.testing.RecordingSessionHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.util.ResourceLeakDetector;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A /ws session written a room's shared frame sends what its own encoding would, and keeps no reference to it. */
class PlainWsSharedFrameTest {
    private static final GatewayConfig CONFIG = new GatewayConfig(new GatewayConfig.Listen("127.0.0.1", 0, List.of()),
            new GatewayConfig.Protocol(Duration.ofSeconds(25), Duration.ofSeconds(60), Duration.ofSeconds(45), Duration.ofSeconds(10),
                    Set.of(GatewayConfig.EngineTransport.WEBSOCKET), List.of(), "/socket.io/"),
            new GatewayConfig.Limits(4096, 1 << 20, 1_000_000, 1_000_000), GatewayConfig.Http.DEFAULTS);

    private final ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
    private final RecordingSessionHandler handler = new RecordingSessionHandler();
    private final EmbeddedChannel ch = new EmbeddedChannel(new WebSocket13FrameEncoder(false));
    private final PlainWsSession session = new PlainWsSession(ch, CONFIG, new FakeAuthenticator(), handler, new SessionRegistry(),
            GatewayMetrics.noop(), Clock.systemUTC());

    @AfterEach
    void restore() {
        ResourceLeakDetector.setLevel(level);
        ch.finishAndReleaseAll();
    }

    private byte[] written() {
        return dev.herald.gateway.testing.Outbound.drained(ch);
    }

    @Test
    void writesTheSharedFrameByteForByteAsItsOwnEncodingAndReleasesItsDuplicate() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        session.start("user:ann");
        await().until(() -> handler.calls.contains("ready:ann"));
        await().until(() -> written().length > 0); // connection_ready
        OutboundEvent event = new OutboundEvent("news", "{\"n\":1}");
        assertThat(session.send(event)).isTrue();
        byte[] own = written();

        ByteBuf shared = WsFrames.text(ByteBufAllocator.DEFAULT, session.framePayload(event));
        assertThat(session.sendFrame(event, shared)).isNotNull();

        assertThat(written()).isEqualTo(own);
        assertThat(shared.refCnt()).as("the caller's reference only").isEqualTo(1);
        shared.release();
    }

    @Test
    void refusesASharedFrameOnceClosedAndTakesNoReference() {
        session.start("user:bob");
        await().until(() -> handler.calls.contains("ready:bob"));
        session.close(dev.herald.core.deliver.live.DisconnectReason.CLIENT_CLOSED);
        OutboundEvent event = new OutboundEvent("news", "1");
        ByteBuf shared = WsFrames.text(ByteBufAllocator.DEFAULT, session.framePayload(event));

        await().until(() -> session.sendFrame(event, shared) == null);

        assertThat(shared.refCnt()).isEqualTo(1);
        shared.release();
    }
}
