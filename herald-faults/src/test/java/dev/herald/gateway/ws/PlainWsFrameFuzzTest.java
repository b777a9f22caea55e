package dev.herald.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.Json;
import dev.herald.core.auth.Authenticator;
import dev.herald.core.auth.Principal;
import dev.herald.core.deliver.live.ClientEvent;
import dev.herald.core.deliver.live.DisconnectReason;
import dev.herald.core.deliver.live.Session;
import dev.herald.core.deliver.live.SessionHandler;
import dev.herald.gateway.GatewayConfig;
import dev.herald.gateway.GatewayMetrics;
import dev.herald.gateway.SessionRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Timeout;

/**
 * The /ws frame handler ({@link PlainWsSession}) behind Netty's real frame decoder and aggregator,
 * on an {@link EmbeddedChannel}, fed WebSocket frames built from arbitrary bytes. Whatever arrives,
 * the session answers only with JSON {@code event} frames (errors carrying an {@link ErrorCode}),
 * pongs and close frames with a known code; no exception escapes its read path, and nothing hangs.
 *
 * <p>Input format (so seeds can be written by hand): a first byte whose low bit says whether the
 * client authenticates with the URL token (1) or with an auth frame (0); then frames, each one
 * header byte ({@code 0x0F} opcode, {@code 0x40} set = not final, {@code 0x20} set = unmasked,
 * {@code 0x10} = RSV1), a 16-bit big-endian length, and that many payload bytes.
 * Seeds: {@code src/test/resources/dev/herald/gateway/ws/PlainWsFrameFuzzTestInputs/}.
 *
 * <p>The session hands work to virtual threads and an EmbeddedChannel is not thread-safe, so after
 * each frame the target waits for that work to finish (a marker event travels the same serial
 * queue) before touching the channel again.
 */
class PlainWsFrameFuzzTest {
    private static final Duration QUIET = Duration.ofSeconds(10);
    private static final Set<Integer> CLOSE_CODES = Set.of(1000, 1001, 1002, 1007, 1008, 1009, 1011,
            PlainWsSession.CLOSE_AUTH, PlainWsSession.CLOSE_REFUSED);
    private static final Set<String> ERROR_CODES = Arrays.stream(ErrorCode.values()).map(Enum::name).collect(Collectors.toSet());
    private static final String MARKER = "fuzz:marker";
    private static final GatewayConfig CONFIG = new GatewayConfig(new GatewayConfig.Listen("127.0.0.1", 0, List.of()),
            new GatewayConfig.Protocol(Duration.ofSeconds(25), Duration.ofSeconds(60), Duration.ofSeconds(45), Duration.ofSeconds(10),
                    Set.of(GatewayConfig.EngineTransport.WEBSOCKET), List.of(), "/socket.io/"),
            new GatewayConfig.Limits(4096, 1 << 20, 1_000_000, 1_000_000), GatewayConfig.Http.DEFAULTS);

    /** "user:&lt;id&gt;" is valid, "expired" has expired, anything else is refused, as real tokens are. */
    private static final Authenticator TOKENS = token -> {
        if (token.equals("expired")) throw new HeraldException(ErrorCode.TOKEN_EXPIRED, "token expired");
        if (!token.startsWith("user:") || token.length() == 5) throw new HeraldException(ErrorCode.INVALID_TOKEN, "invalid token");
        return Principal.user(token.substring(5), "team-1");
    };

    /** Answers every ack with the event's data; refuses user "refused"; records the marker and any failure. */
    private static final class Handler implements SessionHandler {
        final AtomicInteger readies = new AtomicInteger();
        final AtomicInteger markers = new AtomicInteger();
        final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();

        @Override
        public void open(Session session) {
            if (session.principal().userId().equals("refused")) {
                throw new HeraldException(ErrorCode.CONNECTION_LIMIT_REACHED, "too many connections");
            }
        }

        @Override
        public void ready(Session session) {
            readies.incrementAndGet();
        }

        @Override
        public void event(Session session, ClientEvent event) {
            try {
                if (event.wantsAck()) event.ack().reply(event.data().toString());
            } catch (RuntimeException e) {
                failures.add(e);
            }
            if (event.name().equals(MARKER)) markers.incrementAndGet();
        }

        @Override
        public void closed(Session session, DisconnectReason reason) {
        }
    }

    /**
     * Runs the session's read path and keeps anything it throws (the session's own exceptionCaught
     * would hide it behind a close), then lets the session handle it as Netty would.
     */
    private static final class ThrowCatcher extends ChannelInboundHandlerAdapter {
        private final ChannelInboundHandler inner;
        final Queue<Throwable> thrown = new ConcurrentLinkedQueue<>();
        /** The last whole text message handed to the session, for the target to settle on. */
        String lastText;

        ThrowCatcher(ChannelInboundHandler inner) {
            this.inner = inner;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (msg instanceof TextWebSocketFrame t) lastText = t.text();
            try {
                inner.channelRead(ctx, msg);
            } catch (Exception | Error e) {
                thrown.add(e);
                inner.exceptionCaught(ctx, e);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            inner.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
            inner.exceptionCaught(ctx, cause);
        }
    }

    @FuzzTest(maxDuration = "15s")
    @Timeout(120)
    void answersAnyFramesWithJsonErrorsOrACloseCode(byte[] input) throws Exception {
        Handler handler = new Handler();
        EmbeddedChannel ch = new EmbeddedChannel();
        PlainWsSession session = new PlainWsSession(ch, CONFIG, TOKENS, handler, new SessionRegistry(), GatewayMetrics.noop(),
                Clock.systemUTC());
        ThrowCatcher reader = new ThrowCatcher(session.frameHandler());
        ch.pipeline().addLast(new WebSocket13FrameDecoder(WebSocketDecoderConfig.newBuilder().expectMaskedFrames(true)
                        .allowExtensions(false).maxFramePayloadLength(CONFIG.limits().maxPayloadBytes()).build()),
                new WebSocketFrameAggregator(CONFIG.limits().maxPayloadBytes()), reader);
        try {
            boolean urlToken = input.length > 0 && (input[0] & 1) == 1;
            session.start(urlToken ? "user:fuzz" : null);
            if (urlToken) awaitAdmitted(ch, handler);
            int at = 1;
            while (at + 3 <= input.length && ch.isOpen()) {
                int header = input[at] & 0xFF;
                int length = Math.min(((input[at + 1] & 0xFF) << 8) | (input[at + 2] & 0xFF), input.length - at - 3);
                byte[] payload = Arrays.copyOfRange(input, at + 3, at + 3 + length);
                at += 3 + length;
                boolean wasOpen = session.isOpen();
                reader.lastText = null;
                ch.writeInbound(frame(header, payload));
                String delivered = reader.lastText;
                // Only a whole text message reaches the session's virtual thread (auth or an event).
                if (delivered != null) settle(ch, handler, wasOpen, delivered);
            }
            ch.runPendingTasks();
            assertThat(reader.thrown).as("thrown by the session's read path").isEmpty();
            assertThat(handler.failures).as("thrown while answering an ack").isEmpty();
            for (Object out; (out = ch.readOutbound()) != null; ) {
                try {
                    checkAnswer(out);
                } finally {
                    ReferenceCountUtil.release(out);
                }
            }
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    /** Waits for work the last frame handed to the session's virtual thread, so the channel is ours again. */
    private static void settle(EmbeddedChannel ch, Handler handler, boolean wasOpen, String message) {
        if (!ch.isOpen()) return;
        if (!wasOpen) {
            if (looksLikeAuth(message)) awaitAdmitted(ch, handler);
            return;
        }
        int seen = handler.markers.get();
        ch.writeInbound(frame(0x01, ("{\"event\":\"" + MARKER + "\",\"data\":null}").getBytes(StandardCharsets.UTF_8)));
        await().atMost(QUIET).pollInSameThread().pollInterval(Duration.ofMillis(1))
                .until(() -> handler.markers.get() > seen || !ch.isOpen());
    }

    private static void awaitAdmitted(EmbeddedChannel ch, Handler handler) {
        await().atMost(QUIET).pollInSameThread().pollInterval(Duration.ofMillis(1))
                .until(() -> handler.readies.get() > 0 || !ch.isOpen());
    }

    private static boolean looksLikeAuth(String message) {
        try {
            JsonNode f = Json.parse(message, "frame");
            return f.path("event").asText().equals("auth");
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** One client frame on the wire; masked unless the header says otherwise (the decoder must refuse that). */
    private static ByteBuf frame(int header, byte[] payload) {
        ByteBuf out = Unpooled.buffer(payload.length + 14);
        boolean fin = (header & 0x40) == 0, masked = (header & 0x20) == 0, rsv1 = (header & 0x10) != 0;
        out.writeByte((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | (header & 0x0F));
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            out.writeByte(maskBit | payload.length);
        } else {
            out.writeByte(maskBit | 126);
            out.writeShort(payload.length);
        }
        byte[] key = {(byte) 0x37, (byte) 0xfa, (byte) 0x21, (byte) header};
        if (masked) out.writeBytes(key);
        for (int i = 0; i < payload.length; i++) out.writeByte(masked ? payload[i] ^ key[i & 3] : payload[i]);
        return out;
    }

    private static void checkAnswer(Object out) {
        switch (out) {
            case TextWebSocketFrame t -> {
                JsonNode frame = Json.parse(t.text(), "answer");
                assertThat(frame.path("event").isTextual()).as(t.text()).isTrue();
                if (frame.path("event").asText().equals("error")) {
                    assertThat(ERROR_CODES).as(t.text()).contains(frame.path("data").path("code").asText());
                    assertThat(frame.path("data").path("message").asText()).as(t.text()).isNotBlank();
                }
            }
            case CloseWebSocketFrame c -> assertThat(CLOSE_CODES).as("close code").contains(c.statusCode());
            case PongWebSocketFrame p -> { }
            case PingWebSocketFrame p -> { }
            case ByteBuf b when !b.isReadable() -> { }
            default -> fail("unexpected answer " + out);
        }
    }
}
