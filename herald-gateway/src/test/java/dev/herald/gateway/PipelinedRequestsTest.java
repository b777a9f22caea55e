package dev.herald.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.http.HttpResponse;
import dev.herald.core.http.HttpService;
import dev.herald.gateway.http.HttpDrain;
import dev.herald.gateway.testing.RawHttp;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * HTTP/1.1 pipelining (RFC 9112 §9.3.2): answers leave in the order requests came, whichever service
 * finishes first. The services' work runs when the test says, last submitted first, so a later
 * request is always the faster one.
 */
class PipelinedRequestsTest {
    private final Deque<Runnable> work = new ArrayDeque<>();
    private final HttpService echo = req -> Optional.of(HttpResponse.text(200, "text/plain", req.path()));
    private EmbeddedChannel ch;

    private EmbeddedChannel channel(GatewayConfig config) {
        ch = new EmbeddedChannel();
        new ClientPipeline(config, Map.of(), null, List.of(echo), work::add, new HttpDrain()).install(ch);
        return ch;
    }

    @AfterEach
    void release() {
        ch.finishAndReleaseAll();
    }

    private static GatewayConfig depth(int maxPipelined) {
        GatewayConfig.Http h = GatewayConfig.Http.DEFAULTS;
        return GatewayConfig.defaults().withHttp(new GatewayConfig.Http(h.headerTimeout(), h.bodyTimeout(), h.idleTimeout(),
                h.maxConnectionsPerIp(), maxPipelined));
    }

    private void send(String... requests) {
        ch.writeInbound(Unpooled.copiedBuffer(String.join("", requests), StandardCharsets.US_ASCII));
    }

    /** Runs the services' work newest first until none is left, letting the channel's tasks run between. */
    private List<RawHttp.Answer> serveNewestFirst() {
        while (true) {
            ch.runPendingTasks();
            Runnable next = work.pollLast();
            if (next == null) break;
            next.run();
        }
        StringBuilder wire = new StringBuilder();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            wire.append(b.toString(StandardCharsets.US_ASCII));
            b.release();
        }
        return RawHttp.parse(wire.toString());
    }

    @Test
    void answersPipelinedRequestsInTheOrderTheyCameWhenALaterOneFinishesFirst() {
        channel(GatewayConfig.defaults());

        send(RawHttp.get("/0"), RawHttp.get("/1"), RawHttp.get("/2"), RawHttp.get("/3"), RawHttp.get("/4"), RawHttp.get("/5"));
        List<RawHttp.Answer> answers = serveNewestFirst();

        assertThat(answers).extracting(RawHttp.Answer::body).containsExactly("/0", "/1", "/2", "/3", "/4", "/5");
    }

    @Test
    void refusesTheRequestPastThePipelineDepthWith429AndClosesAfterAnsweringTheOthers() {
        channel(depth(3));

        send(RawHttp.get("/0"), RawHttp.get("/1"), RawHttp.get("/2"), RawHttp.get("/3"), RawHttp.get("/4"));
        List<RawHttp.Answer> answers = serveNewestFirst();

        assertThat(answers).extracting(RawHttp.Answer::status).containsExactly(200, 200, 200, 429);
        assertThat(answers.get(3).headers()).containsEntry("connection", "close");
        assertThat(answers.get(3).body()).contains("\"code\":\"RATE_LIMITED\"");
        assertThat(ch.isOpen()).isFalse();
    }
}
