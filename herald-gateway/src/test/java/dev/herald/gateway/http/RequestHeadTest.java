package dev.herald.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.http.HttpResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A request head too big to decode (a huge token in ?token= or Authorization) gets a coded HTTP
 * refusal instead of a bare 400, and a head within the limit (a large but plausible token) passes.
 */
class RequestHeadTest {
    private EmbeddedChannel channel() {
        return new EmbeddedChannel(RequestHead.codec(), new CappedAggregator(1_000_000),
                new Router(Map.of(), null, List.of(req -> Optional.of(HttpResponse.json(200, "{}"))), Runnable::run));
    }

    private static String answer(EmbeddedChannel ch, String request) {
        ch.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1));
        StringBuilder out = new StringBuilder();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            out.append(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        return out.toString();
    }

    @Test
    void refusesATokenQueryOverTheHeadLimitWith414AndInvalidToken() {
        String token = "a".repeat(RequestHead.MAX_BYTES + 1);

        String res = answer(channel(), "GET /socket.io/?EIO=4&transport=websocket&token=" + token + " HTTP/1.1\r\nHost: h\r\n\r\n");

        assertThat(res).startsWith("HTTP/1.1 414 ");
        assertThat(res).contains("{\"error\":{\"code\":\"INVALID_TOKEN\"");
    }

    @Test
    void refusesAnAuthorizationHeaderOverTheHeadLimitWith431AndInvalidToken() {
        String token = "a".repeat(RequestHead.MAX_BYTES + 1);

        String res = answer(channel(), "GET /api/v1/notifications HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer " + token + "\r\n\r\n");

        assertThat(res).startsWith("HTTP/1.1 431 ");
        assertThat(res).contains("{\"error\":{\"code\":\"INVALID_TOKEN\"");
    }

    @Test
    void passesAHeadTwiceTheOldLimitSoTheAuthenticatorCanAnswer() {
        String token = "a".repeat(16 * 1024);

        String res = answer(channel(), "GET /api/v1/notifications?token=" + token + " HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer "
                + token + "\r\n\r\n");

        assertThat(res).startsWith("HTTP/1.1 200 ");
    }
}
