package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.herald.core.Json;
import dev.herald.server.config.Env;
import dev.herald.server.config.HeraldConfig;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MEMBERSHIP_URL decides post: and dm: joins through a whole Herald, and an outage of the hook refuses them. */
class MembershipEndToEndTest {
    @TempDir
    Path dataDir;

    private final TestTokens tokens = new TestTokens();

    @Test
    void theOwningServiceAllowsAndDeniesJoinsAndItsOutageRefusesThem() throws Exception {
        List<String> asked = new CopyOnWriteArrayList<>();
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/members", exchange -> {
            JsonNode q = Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes());
            asked.add(q.path("userId").asText() + " " + q.path("room").asText() + " " + exchange.getRequestHeaders().getFirst("authorization"));
            byte[] body = ("{\"allowed\":" + q.path("room").asText().equals("post:1") + "}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        hook.start();
        boolean stopped = false;
        Map<String, String> env = Map.of("SOCKETIO_PORT", "0", "ENABLE_GRPC", "false", "HOST", "127.0.0.1",
                "HERALD_DATA_DIR", dataDir.toString(), "JWT_SECRET", TestTokens.SECRET, "HERALD_API_KEYS", TestTokens.API_KEY,
                "MEMBERSHIP_URL", "http://127.0.0.1:" + hook.getAddress().getPort() + "/members",
                "MEMBERSHIP_TOKEN", "membership-token-0123", "MEMBERSHIP_TIMEOUT_SECONDS", "2");
        try (Herald herald = Herald.start(HeraldConfig.from(new Env(env)), Clock.systemUTC());
             WsClient client = WsClient.connect(herald.clientPort(), tokens.user("mia", null))) {
            client.next("connection_ready");

            client.send("{\"event\":\"room:join\",\"data\":\"post:1\",\"id\":1}");
            assertThat(client.next("ack").path("data").path("ok").asBoolean()).isTrue();
            client.send("{\"event\":\"room:join\",\"data\":\"post:2\",\"id\":2}");
            assertThat(client.next("ack").at("/data/error/code").asText()).isEqualTo("FORBIDDEN");
            assertThat(asked).containsExactly("mia post:1 Bearer membership-token-0123", "mia post:2 Bearer membership-token-0123");

            hook.stop(0);
            stopped = true;
            client.send("{\"event\":\"room:join\",\"data\":\"dm:mia:zed\",\"id\":3}");
            assertThat(client.next("ack").at("/data/error/code").asText()).isEqualTo("UNAVAILABLE");
        } finally {
            if (!stopped) hook.stop(0);
        }
    }
}
