package dev.herald.api.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.Json;
import dev.herald.core.auth.Principal;
import dev.herald.core.testing.MutableClock;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The membership hook against a real local HTTP server that checks what it receives. */
class HttpMembershipCheckTest {
    private final HttpServer server;
    private final List<JsonNode> asked = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicReference<String> answer = new AtomicReference<>("{\"allowed\":true}");
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile boolean hang;
    private final MutableClock clock = MutableClock.at("2026-05-01T10:00:00Z");

    HttpMembershipCheckTest() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/members", exchange -> {
            asked.add(Json.MAPPER.readTree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("authorization")));
            if (hang) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = answer.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    private HttpMembershipCheck check(Duration cacheFor) {
        return check(cacheFor, Duration.ofSeconds(20));
    }

    /** @param timeout generous, except where the test waits for it: a loaded machine answers slowly */
    private HttpMembershipCheck check(Duration cacheFor, Duration timeout) {
        return new HttpMembershipCheck(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/members"),
                Optional.of("hook-token-0123456789"), cacheFor, timeout, clock);
    }

    private static Principal user(String id) {
        return new Principal(id, null, Set.of(), Set.of(), null, null);
    }

    @Test
    void postsTheUserAndRoomWithTheTokenAndFollowsTheAnswer() {
        try (HttpMembershipCheck check = check(Duration.ZERO)) {
            assertThat(check.isMember(user("ann"), "post:42")).isTrue();
            answer.set("{\"allowed\":false}");
            assertThat(check.isMember(user("ann"), "dm:ann:bob")).isFalse();
        }
        assertThat(asked).hasSize(2);
        assertThat(asked.getFirst().path("userId").asText()).isEqualTo("ann");
        assertThat(asked.getFirst().path("room").asText()).isEqualTo("post:42");
        assertThat(authorizations).containsOnly("Bearer hook-token-0123456789");
    }

    @Test
    void reusesAnAnswerForTheCacheTimeThenAsksAgain() {
        try (HttpMembershipCheck check = check(Duration.ofSeconds(30))) {
            assertThat(check.isMember(user("ann"), "post:1")).isTrue();
            answer.set("{\"allowed\":false}");
            assertThat(check.isMember(user("ann"), "post:1")).isTrue();
            assertThat(asked).hasSize(1);

            clock.advance(Duration.ofSeconds(31));

            assertThat(check.isMember(user("ann"), "post:1")).isFalse();
            assertThat(asked).hasSize(2);
        }
    }

    @Test
    void failsClosedOnAnErrorStatusABadBodyAndNoAnswer() {
        try (HttpMembershipCheck check = check(Duration.ofSeconds(30))) {
            status.set(500);
            assertUnavailable(check, "post:1");
            status.set(200);
            answer.set("{\"member\":true}");
            assertUnavailable(check, "post:2");
            answer.set("not json");
            assertUnavailable(check, "post:3");
        }
        hang = true;
        try (HttpMembershipCheck impatient = check(Duration.ofSeconds(30), Duration.ofMillis(500))) {
            assertUnavailable(impatient, "post:4");
        }
        try (HttpMembershipCheck down = new HttpMembershipCheck(URI.create("http://127.0.0.1:1/members"), Optional.empty(),
                Duration.ofSeconds(30), Duration.ofSeconds(1), clock)) {
            assertUnavailable(down, "post:5");
        }
    }

    @Test
    void neverCachesAFailure() {
        try (HttpMembershipCheck check = check(Duration.ofSeconds(30))) {
            status.set(503);
            assertUnavailable(check, "post:9");
            status.set(200);
            assertThat(check.isMember(user("ann"), "post:9")).isTrue();
        }
    }

    private static void assertUnavailable(HttpMembershipCheck check, String room) {
        assertThatThrownBy(() -> check.isMember(user("ann"), room)).isInstanceOf(HeraldException.class)
                .satisfies(e -> assertThat(((HeraldException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE));
    }
}
