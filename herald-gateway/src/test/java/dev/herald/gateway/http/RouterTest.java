package dev.herald.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.http.HttpResponse;
import dev.herald.core.http.HttpService;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class RouterTest {
    private final List<String> seen = new CopyOnWriteArrayList<>();

    private EmbeddedChannel channel(List<String> origins, HttpService... services) {
        return new EmbeddedChannel(new Cors(origins), new Router(Map.of(), null, List.of(services), Runnable::run));
    }

    private static FullHttpRequest get(String uri) {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri, Unpooled.EMPTY_BUFFER);
    }

    private static String body(FullHttpResponse res) {
        try {
            return res.content().toString(StandardCharsets.UTF_8);
        } finally {
            res.release();
        }
    }

    @Test
    void asksTheServicesInOrderAndTheFirstAnswerWins() {
        HttpService health = req -> {
            seen.add("health");
            return req.path().equals("/health") ? Optional.of(HttpResponse.json(200, "{\"status\":\"UP\"}")) : Optional.empty();
        };
        HttpService rest = req -> {
            seen.add("rest");
            return Optional.of(HttpResponse.json(201, "{\"path\":\"" + req.path() + "\",\"q\":\"" + req.queryParam("a").orElse("") + "\"}"));
        };
        EmbeddedChannel ch = channel(List.of(), health, rest);

        ch.writeInbound(get("/api/v1/notifications?a=b"));
        FullHttpResponse res = ch.readOutbound();

        assertThat(res.status().code()).isEqualTo(201);
        assertThat(body(res)).isEqualTo("{\"path\":\"/api/v1/notifications\",\"q\":\"b\"}");
        assertThat(seen).containsExactly("health", "rest");
    }

    @Test
    void answers404WithTheErrorShapeWhenNoServiceAnswers() {
        EmbeddedChannel ch = channel(List.of(), req -> Optional.empty());

        ch.writeInbound(get("/nowhere"));
        FullHttpResponse res = ch.readOutbound();

        assertThat(res.status().code()).isEqualTo(404);
        assertThat(body(res)).isEqualTo("{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"no route for GET /nowhere\"}}");
    }

    @Test
    void turnsAFailingServiceIntoA500AndKeepsServing() {
        EmbeddedChannel ch = channel(List.of(), req -> {
            throw new IllegalStateException("boom");
        });

        ch.writeInbound(get("/x"));
        FullHttpResponse res = ch.readOutbound();

        assertThat(res.status().code()).isEqualTo(500);
        assertThat(body(res)).contains("\"code\":\"INTERNAL\"");
        assertThat(ch.isActive()).isTrue();
    }

    @Test
    void answersAPreflightForAnAllowedOrigin() {
        EmbeddedChannel ch = channel(List.of("https://app.example"));
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.OPTIONS, "/api/v1/notifications");
        req.headers().set("origin", "https://app.example").set("access-control-request-method", "POST")
                .set("access-control-request-headers", "authorization, content-type");

        ch.writeInbound(req);
        FullHttpResponse res = ch.readOutbound();

        assertThat(res.status().code()).isEqualTo(204);
        assertThat(res.headers().get("access-control-allow-origin")).isEqualTo("https://app.example");
        assertThat(res.headers().get("access-control-allow-headers")).isEqualTo("authorization, content-type");
        res.release();
    }

    @Test
    void allowsAnyOriginWithoutCredentialsWhenEveryOriginIsAllowed() {
        EmbeddedChannel ch = channel(List.of(), req -> Optional.of(HttpResponse.json(200, "{}")));
        FullHttpRequest req = get("/x");
        req.headers().set("origin", "https://anywhere.example");

        ch.writeInbound(req);
        FullHttpResponse res = ch.readOutbound();

        assertThat(res.headers().get("access-control-allow-origin")).isEqualTo("*");
        assertThat(res.headers().contains("access-control-allow-credentials")).isFalse();
        res.release();
    }

    @Test
    void echoesAListedOriginWithCredentials() {
        EmbeddedChannel ch = channel(List.of("https://app.example"), req -> Optional.of(HttpResponse.json(200, "{}")));
        FullHttpRequest req = get("/x");
        req.headers().set("origin", "https://app.example");

        ch.writeInbound(req);
        FullHttpResponse res = ch.readOutbound();

        assertThat(res.headers().get("access-control-allow-origin")).isEqualTo("https://app.example");
        assertThat(res.headers().get("access-control-allow-credentials")).isEqualTo("true");
        res.release();
    }

    @Test
    void givesNoCorsHeadersToAnOriginNotListed() {
        EmbeddedChannel ch = channel(List.of("https://app.example"), req -> Optional.of(HttpResponse.json(200, "{}")));
        FullHttpRequest req = get("/x");
        req.headers().set("origin", "https://evil.example");

        ch.writeInbound(req);
        FullHttpResponse res = ch.readOutbound();

        assertThat(res.headers().contains("access-control-allow-origin")).isFalse();
        res.release();
    }
}
