package dev.herald.gateway.engineio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.core.deliver.live.DisconnectReason;
import dev.herald.gateway.GatewayConfig;
import dev.herald.gateway.GatewayMetrics;
import dev.herald.gateway.http.Cors;
import dev.herald.gateway.http.Router;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Engine.IO over HTTP long-polling, driven through the Router with EmbeddedChannels. */
class EngineIoPollingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final GatewayConfig config = GatewayConfig.defaults().withPort(0)
            .withHeartbeat(Duration.ofMillis(300), Duration.ofMillis(200)).withOutboundBufferBytes(4096);
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<DisconnectReason> closes = new CopyOnWriteArrayList<>();
    private final GatewayMetrics metrics = GatewayMetrics.noop();
    private final List<EngineSocket> opened = new CopyOnWriteArrayList<>();
    private final EngineIoServer server = new EngineIoServer(config, socket -> {
        opened.add(socket);
        socket.handler(new EngineSocketHandler() {
            public void onMessage(EngineSocket s, String text) {
                received.add(text);
                s.send(EnginePacket.message(text));
            }

            public void onBinary(EngineSocket s, byte[] data) {
                received.add("binary:" + data.length);
                s.send(EnginePacket.binary(data));
            }

            public void onClose(EngineSocket s, DisconnectReason reason) {
                closes.add(reason);
            }
        });
    }, metrics);
    private final List<EmbeddedChannel> channels = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeChannels() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    private EmbeddedChannel channel() {
        return channel(List.of());
    }

    private EmbeddedChannel channel(List<String> origins) {
        EmbeddedChannel ch = new EmbeddedChannel(new Cors(origins),
                new Router(Map.of("/socket.io/", Router.engine(server)), null, List.of(), Runnable::run));
        channels.add(ch);
        return ch;
    }

    private static FullHttpRequest request(HttpMethod method, String uri, String body) {
        var req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        req.headers().set("content-length", req.content().readableBytes());
        return req;
    }

    /** Runs every channel's queued tasks until nothing moves (sessions hop between loops). */
    private void settle() {
        for (int i = 0; i < 5; i++) channels.forEach(EmbeddedChannel::runPendingTasks);
    }

    private FullHttpResponse exchange(EmbeddedChannel ch, HttpMethod method, String uri, String body) {
        ch.writeInbound(request(method, uri, body));
        settle();
        return ch.readOutbound();
    }

    private static String body(FullHttpResponse res) {
        try {
            return res.content().toString(StandardCharsets.UTF_8);
        } finally {
            res.release();
        }
    }

    private String handshake(EmbeddedChannel ch) throws Exception {
        FullHttpResponse res = exchange(ch, HttpMethod.GET, "/socket.io/?EIO=4&transport=polling", "");
        assertThat(res.status().code()).isEqualTo(200);
        return JSON.readTree(body(res).substring(1)).get("sid").asText();
    }

    private String url(String sid) {
        return "/socket.io/?EIO=4&transport=polling&sid=" + sid;
    }

    @Test
    void opensASessionWithExactlyTheFiveHandshakeKeys() throws Exception {
        FullHttpResponse res = exchange(channel(), HttpMethod.GET, "/socket.io/?EIO=4&transport=polling", "");

        assertThat(res.headers().get("content-type")).isEqualTo("text/plain; charset=UTF-8");
        String text = body(res);
        assertThat(text).startsWith("0");
        JsonNode open = JSON.readTree(text.substring(1));
        assertThat(open.properties()).extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder("sid", "upgrades", "pingInterval", "pingTimeout", "maxPayload");
        assertThat(open.get("upgrades").get(0).asText()).isEqualTo("websocket");
        assertThat(open.get("pingInterval").asInt()).isEqualTo(300);
        assertThat(open.get("maxPayload").asInt()).isEqualTo(1_000_000);
    }

    @Test
    void answersEngineIoErrorCodesForBadHandshakes() {
        EmbeddedChannel ch = channel();

        assertThat(body(exchange(ch, HttpMethod.GET, "/socket.io/?transport=polling", ""))).isEqualTo("{\"code\":5,\"message\":\"Unsupported protocol version\"}");
        assertThat(body(exchange(ch, HttpMethod.GET, "/socket.io/?EIO=abc&transport=polling", ""))).contains("\"code\":5");
        assertThat(body(exchange(ch, HttpMethod.GET, "/socket.io/?EIO=4", ""))).isEqualTo("{\"code\":0,\"message\":\"Transport unknown\"}");
        assertThat(body(exchange(ch, HttpMethod.GET, "/socket.io/?EIO=4&transport=abc", ""))).contains("\"code\":0");
        assertThat(body(exchange(ch, HttpMethod.POST, "/socket.io/?EIO=4&transport=polling", ""))).contains("\"code\":2");
        assertThat(body(exchange(ch, HttpMethod.PUT, "/socket.io/?EIO=4&transport=polling", ""))).contains("\"code\":2");
        assertThat(body(exchange(ch, HttpMethod.GET, url("nope"), ""))).isEqualTo("{\"code\":1,\"message\":\"Session ID unknown\"}");
    }

    @Test
    void neverLetsTheClientChooseTheSid() throws Exception {
        EmbeddedChannel ch = channel();
        FullHttpRequest req = request(HttpMethod.GET, "/socket.io/?EIO=4&transport=polling", "");
        req.headers().set("cookie", "io=chosen-by-client");
        ch.writeInbound(req);
        FullHttpResponse res = ch.readOutbound();

        assertThat(JSON.readTree(body(res).substring(1)).get("sid").asText()).isNotEqualTo("chosen-by-client").hasSizeGreaterThan(15);
    }

    @Test
    void echoesSeveralPacketsPostedInOnePayload() throws Exception {
        EmbeddedChannel ch = channel();
        String sid = handshake(ch);

        FullHttpResponse post = exchange(ch, HttpMethod.POST, url(sid), "4test1\u001e4test2\u001ebAQIDBA==");
        FullHttpResponse poll = exchange(ch, HttpMethod.GET, url(sid), "");

        assertThat(body(post)).isEqualTo("ok");
        assertThat(body(poll)).isEqualTo("4test1\u001e4test2\u001ebAQIDBA==");
    }

    @Test
    void holdsAPollUntilThereIsSomethingToSend() throws Exception {
        EmbeddedChannel poller = channel();
        EmbeddedChannel sender = channel();
        String sid = handshake(poller);

        poller.writeInbound(request(HttpMethod.GET, url(sid), ""));
        settle();
        assertThat((Object) poller.readOutbound()).isNull();
        exchange(sender, HttpMethod.POST, url(sid), "4hello").release();

        assertThat(body(poller.readOutbound())).isEqualTo("4hello");
    }

    @Test
    void answersAHeldPollWithAWholeBatchedBurstAtOnce() throws Exception {
        EmbeddedChannel poller = channel();
        String sid = handshake(poller);
        poller.writeInbound(request(HttpMethod.GET, url(sid), ""));
        settle();

        EngineSocket socket = opened.getFirst();
        socket.batched(() -> {
            socket.send(EnginePacket.message("connect"));
            socket.send(EnginePacket.message("ready"));
            assertThat((Object) poller.readOutbound()).as("held until the batch ends").isNull();
            socket.send(EnginePacket.message("pending"));
        });
        settle();

        assertThat(body(poller.readOutbound())).isEqualTo("4connect\u001e4ready\u001e4pending");
    }

    @Test
    void closesTheSessionOnAGarbagePost() throws Exception {
        EmbeddedChannel ch = channel();
        String sid = handshake(ch);

        FullHttpResponse post = exchange(ch, HttpMethod.POST, url(sid), "abc");

        assertThat(post.status().code()).isEqualTo(400);
        post.release();
        assertThat(exchange(ch, HttpMethod.GET, url(sid), "").status().code()).isEqualTo(400);
        assertThat(closes).containsExactly(DisconnectReason.PROTOCOL_ERROR);
    }

    @Test
    void closesTheSessionOnAConcurrentPoll() throws Exception {
        EmbeddedChannel first = channel();
        EmbeddedChannel second = channel();
        String sid = handshake(first);
        first.writeInbound(request(HttpMethod.GET, url(sid), ""));
        settle();

        FullHttpResponse duplicate = exchange(second, HttpMethod.GET, url(sid), "");

        assertThat(duplicate.status().code()).isEqualTo(400);
        duplicate.release();
        assertThat(body(first.readOutbound())).isEqualTo("1");
        assertThat(exchange(second, HttpMethod.GET, url(sid), "").status().code()).isEqualTo(400);
    }

    @Test
    void answersThePendingPollWithNoopWhenTheClientCloses() throws Exception {
        EmbeddedChannel poller = channel();
        EmbeddedChannel sender = channel();
        String sid = handshake(poller);
        poller.writeInbound(request(HttpMethod.GET, url(sid), ""));
        settle();

        exchange(sender, HttpMethod.POST, url(sid), "1").release();

        assertThat(body(poller.readOutbound())).isEqualTo("6");
        assertThat(closes).containsExactly(DisconnectReason.CLIENT_CLOSED);
        assertThat(server.sockets()).isEmpty();
    }

    @Test
    void pingsAndClosesWhenNoPongComes() throws Exception {
        EmbeddedChannel ch = channel();
        String sid = handshake(ch);
        ch.writeInbound(request(HttpMethod.GET, url(sid), ""));

        ch.advanceTimeBy(300, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(body(ch.readOutbound())).isEqualTo("2");
        ch.advanceTimeBy(200, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();

        assertThat(closes).containsExactly(DisconnectReason.PING_TIMEOUT);
        assertThat(exchange(ch, HttpMethod.GET, url(sid), "").status().code()).isEqualTo(400);
    }

    @Test
    void aPongKeepsTheSessionAlive() throws Exception {
        EmbeddedChannel ch = channel();
        String sid = handshake(ch);
        ch.advanceTimeBy(300, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();

        exchange(ch, HttpMethod.POST, url(sid), "3").release();
        ch.advanceTimeBy(250, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();

        assertThat(closes).isEmpty();
    }

    @Test
    void dropsAPollingClientThatNeverPollsOnceItsQueueIsFull() throws Exception {
        EmbeddedChannel ch = channel();
        String sid = handshake(ch);
        EngineSocket socket = server.sockets().iterator().next();

        String chunk = "x".repeat(1000);
        for (int i = 0; i < 10; i++) socket.send(EnginePacket.message(chunk));
        settle();

        assertThat(closes).containsExactly(DisconnectReason.SLOW_CONSUMER);
        assertThat(metrics.slowConsumerDrops()).isEqualTo(1);
        assertThat(socket.send(EnginePacket.message(chunk))).isFalse();
        assertThat(exchange(ch, HttpMethod.GET, url(sid), "").status().code()).isEqualTo(400);
    }

    @Test
    void echoesAListedOriginForCorsWithCredentials() {
        EmbeddedChannel ch = channel(List.of("https://app.example"));
        FullHttpRequest req = request(HttpMethod.GET, "/socket.io/?EIO=4&transport=polling", "");
        req.headers().set("origin", "https://app.example");
        ch.writeInbound(req);
        FullHttpResponse res = ch.readOutbound();

        assertThat(res.headers().get("access-control-allow-origin")).isEqualTo("https://app.example");
        assertThat(res.headers().get("access-control-allow-credentials")).isEqualTo("true");
        res.release();
    }

    // ---- ordering across connections: upgrade and close ---------------------------------------

    private EngineSocket onlySocket() {
        return server.sockets().iterator().next();
    }

    @Test
    void holdsAPollReadDuringTheProbeThenEndsItWithNoop() throws Exception {
        EmbeddedChannel ch = channel();
        String sid = handshake(ch);
        EngineSocket socket = onlySocket();
        socket.attachProbe(new EmbeddedChannel());

        ch.writeInbound(request(HttpMethod.GET, url(sid), ""));
        settle();
        assertThat((Object) ch.readOutbound()).isNull();
        ch.advanceTimeBy(EngineSocket.NOOP_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();

        assertThat(body(ch.readOutbound())).isEqualTo("6");
    }

    @Test
    void refusesAPollHeldDuringTheProbeOnceTheUpgradeCompletes() throws Exception {
        EmbeddedChannel ch = channel();
        String sid = handshake(ch);
        EngineSocket socket = onlySocket();
        EmbeddedChannel probe = new EmbeddedChannel();
        socket.attachProbe(probe);
        ch.writeInbound(request(HttpMethod.GET, url(sid), ""));
        settle();

        socket.onWsText(probe, "2probe");
        socket.onWsText(probe, "5");

        assertThat(((FullHttpResponse) ch.readOutbound()).status().code()).isEqualTo(400);
        assertThat(socket.transport()).isEqualTo(dev.herald.core.deliver.live.Transport.WEBSOCKET);
    }

    @Test
    void endsThePollInFlightBeforeTheProbeAtOnce() throws Exception {
        EmbeddedChannel ch = channel();
        String sid = handshake(ch);
        EngineSocket socket = onlySocket();
        ch.writeInbound(request(HttpMethod.GET, url(sid), ""));
        settle();
        EmbeddedChannel probe = new EmbeddedChannel();
        socket.attachProbe(probe);

        socket.onWsText(probe, "2probe");

        assertThat(body(ch.readOutbound())).isEqualTo("6");
    }

    @Test
    void answersThePollThatRacedTheClientsCloseOnceWithNoop() throws Exception {
        EmbeddedChannel ch = channel();
        String sid = handshake(ch);

        exchange(ch, HttpMethod.POST, url(sid), "1").release();

        assertThat(closes).containsExactly(DisconnectReason.CLIENT_CLOSED);
        assertThat(body(exchange(ch, HttpMethod.GET, url(sid), ""))).isEqualTo("6");
        assertThat(exchange(ch, HttpMethod.GET, url(sid), "").status().code()).isEqualTo(400);
    }
}
