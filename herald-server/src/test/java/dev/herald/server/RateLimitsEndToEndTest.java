package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.api.grpc.GrpcErrors;
import dev.herald.core.Json;
import dev.herald.core.testing.MutableClock;
import dev.herald.server.config.Env;
import dev.herald.server.config.HeraldConfig;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import notifications.v1.Notifications.GetConnectionStatsRequest;
import notifications.v1.NotificationsServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Floods against a started Herald, each refused with RATE_LIMITED and retryAfter while other
 * callers and users are served. The clock is frozen, so no budget refills during a test.
 */
class RateLimitsEndToEndTest {
    private static final String OTHER_KEY = "e2e-other-key-0123456789abcdef";

    @TempDir
    Path dataDir;

    private final TestTokens tokens = new TestTokens();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AutoCloseable> open = new ArrayList<>();
    private Herald herald;

    private Herald start(Map<String, String> limits) {
        Map<String, String> vars = new HashMap<>(Map.of("SOCKETIO_PORT", "0", "GRPC_PORT", "0", "HOST", "127.0.0.1",
                "HERALD_DATA_DIR", dataDir.toString(), "JWT_SECRET", TestTokens.SECRET,
                "HERALD_API_KEYS", TestTokens.API_KEY + "," + OTHER_KEY));
        vars.putAll(limits);
        herald = Herald.start(HeraldConfig.from(new Env(vars)), MutableClock.at(Instant.now().toString()));
        return herald;
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) c.close();
        if (herald != null) herald.close();
    }

    private HttpResponse<String> call(String method, String path, String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + herald.clientPort() + path))
                .header("authorization", "Bearer " + key).header("content-type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertRateLimited(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
        JsonNode error = Json.parse(r.body(), "answer").path("error");
        assertThat(error.path("code").asText()).isEqualTo("RATE_LIMITED");
        assertThat(error.path("retryAfter").asLong()).isPositive();
        assertThat(r.headers().firstValue("retry-after").map(Long::parseLong).orElse(0L)).isEqualTo(error.path("retryAfter").asLong());
    }

    private WsClient ws(String token) {
        WsClient c = WsClient.connect(herald.clientPort(), token);
        open.add(c);
        return c;
    }

    @Test
    void aCallerOverItsRequestBudgetGets429WithRetryAfterWhileAnotherCallerIsServed() throws Exception {
        start(Map.of("RATE_LIMIT_API_PER_SECOND", "3"));

        for (int i = 0; i < 3; i++) assertThat(call("GET", "/api/v1/realtime/stats", TestTokens.API_KEY, null).statusCode()).isEqualTo(200);
        assertRateLimited(call("GET", "/api/v1/realtime/stats", TestTokens.API_KEY, null));
        assertRateLimited(call("GET", "/api/realtime/stats", TestTokens.API_KEY, null));

        assertThat(call("GET", "/api/v1/realtime/stats", OTHER_KEY, null).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/health", TestTokens.API_KEY, null).statusCode()).as("ops routes are not API calls").isEqualTo(200);
        String metrics = call("GET", "/metrics", TestTokens.API_KEY, null).body();
        assertThat(metrics).contains("notifications_rate_limited_total{scope=\"api\"} 2.0");
    }

    @Test
    void roomBroadcastsHaveABudgetOfTheirOwnAndUserEventsDoNotSpendIt() throws Exception {
        start(Map.of("RATE_LIMIT_BROADCASTS_PER_MINUTE", "2"));
        String event = "{\"eventType\":\"news\",\"payload\":{\"n\":1}}";

        for (int i = 0; i < 2; i++) {
            assertThat(call("POST", "/api/v1/realtime/rooms/news-" + run + "/events", TestTokens.API_KEY, event).statusCode()).isLessThan(300);
        }
        assertRateLimited(call("POST", "/api/v1/realtime/rooms/other-" + run + "/events", TestTokens.API_KEY, event));

        assertThat(call("POST", "/api/v1/realtime/users/ann-" + run + "/events", TestTokens.API_KEY, event).statusCode()).isLessThan(300);
        assertThat(call("POST", "/api/v1/realtime/rooms/news-" + run + "/events", OTHER_KEY, event).statusCode()).isLessThan(300);
    }

    @Test
    void aGrpcCallerOverItsBudgetGetsResourceExhaustedWithRetryAfter() throws Exception {
        start(Map.of("RATE_LIMIT_API_PER_SECOND", "2"));
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", herald.grpcPort()).usePlaintext().build();
        open.add(() -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + TestTokens.API_KEY);
        var grpc = NotificationsServiceGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));

        grpc.getConnectionStats(GetConnectionStatsRequest.getDefaultInstance());
        grpc.getConnectionStats(GetConnectionStatsRequest.getDefaultInstance());

        assertThatThrownBy(() -> grpc.getConnectionStats(GetConnectionStatsRequest.getDefaultInstance())).satisfies(e -> {
            assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            Metadata trailers = Status.trailersFromThrowable(e);
            assertThat(trailers.get(GrpcErrors.ERROR_CODE)).isEqualTo("RATE_LIMITED");
            assertThat(Long.parseLong(trailers.get(Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER)))).isPositive();
        });
    }

    @Test
    void aUserOverTheEventBudgetAcrossAllTheirConnectionsIsRefusedWhileAnotherUserIsServed() throws Exception {
        start(Map.of("RATE_LIMIT_USER_EVENTS_PER_MINUTE", "4"));
        String alice = "alice-" + run, bob = "bob-" + run;
        WsClient tab1 = ws(tokens.user(alice, "t")), tab2 = ws(tokens.user(alice, "t")), other = ws(tokens.user(bob, "t"));
        for (WsClient c : List.of(tab1, tab2, other)) c.next("connection_ready");

        int id = 0;
        for (WsClient tab : List.of(tab1, tab2, tab1, tab2)) {
            tab.send("{\"event\":\"presence:update\",\"id\":" + (++id) + ",\"data\":{\"status\":\"away\"}}");
            assertThat(tab.next("ack").path("data").path("ok").asBoolean()).isTrue();
        }
        tab2.send("{\"event\":\"presence:update\",\"id\":99,\"data\":{\"status\":\"busy\"}}");
        JsonNode refused = tab2.next("ack").path("data").path("error");
        tab1.send("{\"event\":\"presence:update\",\"data\":{\"status\":\"busy\"}}");
        JsonNode unacked = tab1.next("error").path("data");

        assertThat(refused.path("code").asText()).isEqualTo("RATE_LIMITED");
        assertThat(refused.path("retryAfter").asLong()).isPositive();
        assertThat(unacked.path("code").asText()).isEqualTo("RATE_LIMITED");
        assertThat(unacked.path("event").asText()).isEqualTo("presence:update");
        other.send("{\"event\":\"presence:update\",\"id\":1,\"data\":{\"status\":\"away\"}}");
        assertThat(other.next("ack").path("data").path("ok").asBoolean()).isTrue();
    }

    /** The connect_error a Java Socket.IO client gets, as JSON text. */
    private String socketIoConnectError(String token) throws Exception {
        io.socket.client.IO.Options options = io.socket.client.IO.Options.builder().setTransports(new String[] {"websocket"})
                .setForceNew(true).setReconnection(false).setAuth(Map.of("token", token)).build();
        io.socket.client.Socket socket = io.socket.client.IO.socket(URI.create("http://127.0.0.1:" + herald.clientPort()), options);
        java.util.concurrent.CompletableFuture<String> error = new java.util.concurrent.CompletableFuture<>();
        socket.on(io.socket.client.Socket.EVENT_CONNECT_ERROR, args -> error.complete(String.valueOf(args[0])));
        socket.connect();
        try {
            return error.get(10, TimeUnit.SECONDS);
        } finally {
            socket.close();
        }
    }

    @Test
    void aHandshakeFloodFromOneAddressIsRefusedBeforeAnyTokenIsVerified() throws Exception {
        start(Map.of("RATE_LIMIT_HANDSHAKES_PER_IP_PER_MINUTE", "3"));

        for (int i = 0; i < 3; i++) {
            assertThat(ws("forged.token." + i).next("error").path("data").path("code").asText()).isEqualTo("INVALID_TOKEN");
        }
        JsonNode flood = ws("forged.token.4").next("error").path("data");
        JsonNode good = ws(tokens.user("carol-" + run, "t")).next("error").path("data");

        assertThat(flood.path("code").asText()).isEqualTo("RATE_LIMITED");
        assertThat(flood.path("retryAfter").asLong()).isPositive();
        assertThat(good.path("code").asText()).as("the budget is the address's, whatever the token").isEqualTo("RATE_LIMITED");
        assertThat(socketIoConnectError(tokens.user("dave-" + run, "t"))).as("Socket.IO shares the budget")
                .contains("\"code\":\"RATE_LIMITED\"").contains("\"retryAfter\":");
        String metrics = call("GET", "/metrics", TestTokens.API_KEY, null).body();
        assertThat(metrics).as("only the first three tokens were verified")
                .contains("notifications_auth_failures_total{code=\"INVALID_TOKEN\"} 3.0")
                .contains("notifications_rate_limited_total{scope=\"handshake\"} 3.0");
    }
}
