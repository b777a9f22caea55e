package dev.herald.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.core.auth.Principal;
import dev.herald.core.deliver.live.DisconnectReason;
import dev.herald.core.deliver.live.OutboundEvent;
import dev.herald.core.deliver.live.Session;
import dev.herald.core.deliver.live.Transport;
import dev.herald.core.route.FanOutBacklog;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import io.netty.util.ResourceLeakDetector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WsFramesTest {
    private final ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
    private final DefaultEventLoop loopA = new DefaultEventLoop(), loopB = new DefaultEventLoop();

    @AfterEach
    void stop() {
        ResourceLeakDetector.setLevel(level);
        loopA.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        loopB.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    }

    private static byte[] payload(int size) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) 'x');
        return b;
    }

    private static byte[] drained(EmbeddedChannel ch) {
        return dev.herald.gateway.testing.Outbound.drained(ch);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 12, 125, 126, 65_535, 65_536, 200_000})
    void encodesTheBytesNettysServerEncoderWritesForTheSameText(int size) {
        EmbeddedChannel netty = new EmbeddedChannel(new WebSocket13FrameEncoder(false));
        netty.writeOutbound(new TextWebSocketFrame(Unpooled.wrappedBuffer(payload(size))));

        ByteBuf ours = WsFrames.text(ByteBufAllocator.DEFAULT, payload(size));

        assertThat(ByteBufUtil.getBytes(ours)).isEqualTo(drained(netty));
        ours.release();
    }

    @Test
    void sharesFramesOnlyOnAChannelWithAPlainEncoderAndNoExtension() throws Exception {
        EmbeddedChannel plain = new EmbeddedChannel(new WebSocket13FrameEncoder(false));
        var deflate = new PerMessageDeflateServerExtensionHandshaker().handshakeExtension(
                new io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData("permessage-deflate", java.util.Map.of()));
        EmbeddedChannel compressed = new EmbeddedChannel(new WebSocket13FrameEncoder(false), deflate.newExtensionEncoder());
        EmbeddedChannel notWs = new EmbeddedChannel();

        assertThat(WsFrames.plain(plain)).isTrue();
        assertThat(WsFrames.plain(compressed)).isFalse();
        assertThat(WsFrames.plain(notWs)).isFalse();
    }

    /** A member that writes what it is handed to its own channel, as the gateway's sessions do. */
    static final class Member implements Session, SharesFrames {
        final EventLoop loop;
        final EmbeddedChannel channel = new EmbeddedChannel(new WebSocket13FrameEncoder(false));
        final Queue<ByteBuf> sharedSeen = new ConcurrentLinkedQueue<>();

        Member(EventLoop loop) {
            this.loop = loop;
        }

        @Override public EventLoop eventLoop() { return loop; }
        @Override public Object frameKey() { return Member.class; }
        @Override public byte[] framePayload(OutboundEvent e) { return (e.name() + ":" + e.json()).getBytes(StandardCharsets.UTF_8); }
        @Override public String id() { return "m" + System.identityHashCode(this); }
        @Override public Principal principal() { return Principal.user("u", "t"); }
        @Override public void replacePrincipal(Principal refreshed) { }
        @Override public Transport transport() { return Transport.WEBSOCKET; }
        @Override public void close(DisconnectReason reason) { }
        @Override public boolean isOpen() { return true; }

        @Override
        public boolean send(OutboundEvent event) {
            channel.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(framePayload(event))));
            return true;
        }

        @Override
        public synchronized io.netty.channel.ChannelFuture sendFrame(OutboundEvent event, ByteBuf frame) {
            sharedSeen.add(frame);
            return channel.writeAndFlush(frame.retainedDuplicate());
        }

        synchronized byte[] written() {
            return drained(channel);
        }
    }

    @Test
    void writesEveryMemberTheSameBytesFromOneFrameAndReleasesItOnceAllLoopsRan() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        FanOutBacklog backlog = FanOutBacklog.unbounded();
        NettyFanOut fanOut = new NettyFanOut(backlog);
        List<Member> room = new ArrayList<>();
        for (int i = 0; i < 20; i++) room.add(new Member(i % 2 == 0 ? loopA : loopB));
        OutboundEvent event = new OutboundEvent("news", "{\"n\":1}");

        fanOut.deliver(List.copyOf(room), event);

        await().until(() -> room.stream().allMatch(m -> m.sharedSeen.size() == 1) && backlog.pending() == 0);
        ByteBuf shared = room.getFirst().sharedSeen.peek();
        assertThat(room).allSatisfy(m -> assertThat(m.sharedSeen.peek()).isSameAs(shared));
        EmbeddedChannel netty = new EmbeddedChannel(new WebSocket13FrameEncoder(false));
        netty.writeOutbound(new TextWebSocketFrame(Unpooled.wrappedBuffer("news:{\"n\":1}".getBytes(StandardCharsets.UTF_8))));
        byte[] expected = drained(netty);
        for (Member m : room) assertThat(m.written()).isEqualTo(expected);
        assertThat(shared.refCnt()).as("every duplicate written and released, and every lane's reference").isZero();
    }
}
