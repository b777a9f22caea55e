package dev.herald.gateway.engineio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.deliver.live.Transport;
import dev.herald.core.http.HttpRequest;
import dev.herald.gateway.GatewayConfig;
import dev.herald.gateway.GatewayMetrics;
import dev.herald.gateway.WsFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A room's shared frame and a handshake's held replies on one WebSocket session. */
class HeldSharedFrameTest {
    private final EngineIoServer server = new EngineIoServer(GatewayConfig.defaults().withPort(0), s -> { }, GatewayMetrics.noop());
    private final EmbeddedChannel channel = new EmbeddedChannel(new WebSocket13FrameEncoder(false));
    private final EngineSocket socket = new EngineSocket("sid", channel.eventLoop(), server,
            new HttpRequest("GET", "/socket.io/", Map.of(), Map.of(), null, "127.0.0.1"), Transport.WEBSOCKET);

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
    }

    /** The text of every frame written so far, in order. */
    private List<String> written() {
        List<String> out = new ArrayList<>();
        ByteBuf b;
        while ((b = channel.readOutbound()) != null) {
            try {
                int len = b.getByte(1) & 0x7f; // short frames only in this test
                out.add(b.toString(2, len, StandardCharsets.UTF_8));
            } finally {
                b.release();
            }
        }
        return out;
    }

    @Test
    void aSharedFrameWaitsBehindTheRepliesOfAHandshakeInProgress() {
        socket.openWebSocket(channel);
        written();
        ByteBuf shared = WsFrames.text(Unpooled.buffer().alloc(), "42[\"room\",1]".getBytes(StandardCharsets.UTF_8));
        try {
            socket.batched(() -> {
                socket.send(EnginePacket.message("0{\"sid\":\"s\"}"));
                // A room message fanned out on the loop while the handshake is still greeting.
                socket.sendShared(List.of(EnginePacket.message("2[\"room\",1]")), shared);
                socket.send(EnginePacket.message("2[\"connection_ready\",{}]"));
                assertThat(written()).as("nothing leaves while the hold is open").isEmpty();
            });
        } finally {
            shared.release();
        }
        channel.runPendingTasks();

        assertThat(written()).containsExactly("40{\"sid\":\"s\"}", "42[\"room\",1]", "42[\"connection_ready\",{}]");
    }

    @Test
    void aSharedFrameGoesStraightOutWhenNothingIsHeld() {
        socket.openWebSocket(channel);
        written();
        ByteBuf shared = WsFrames.text(Unpooled.buffer().alloc(), "42[\"room\",1]".getBytes(StandardCharsets.UTF_8));
        try {
            assertThat(socket.sendShared(List.of(EnginePacket.message("2[\"room\",1]")), shared)).isNotNull();
        } finally {
            shared.release();
        }

        assertThat(written()).containsExactly("42[\"room\",1]");
    }
}
