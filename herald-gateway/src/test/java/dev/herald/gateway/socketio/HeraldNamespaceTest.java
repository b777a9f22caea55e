package dev.herald.gateway.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.deliver.live.DisconnectReason;
import dev.herald.core.deliver.live.OutboundEvent;
import dev.herald.core.deliver.live.Session;
import dev.herald.core.deliver.live.Transport;
import dev.herald.gateway.GatewayConfig;
import dev.herald.gateway.GatewayServer;
import dev.herald.gateway.testing.FakeAuthenticator;
import dev.herald.gateway.testing.RecordingSessionHandler;
import dev.herald.gateway.testing.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Herald bridge on "/" and an extra namespace: auth, the SessionHandler contract, close, rate limit. */
class HeraldNamespaceTest {
    private final RecordingSessionHandler handler = new RecordingSessionHandler();
    private GatewayServer server;
    private String ws;

    private void start(GatewayConfig config) throws Exception {
        server = new GatewayServer(config.withPort(0).withNamespaces(List.of("/herald")), new FakeAuthenticator(), handler,
                List.of(), Clock.systemUTC()).start();
        ws = "ws://127.0.0.1:" + server.port() + "/socket.io/?EIO=4&transport=websocket";
    }

    private void start() throws Exception {
        start(GatewayConfig.defaults());
    }

    @AfterEach
    void stop() {
        if (server != null) server.shutdown(Duration.ofSeconds(2));
    }

    private WsClient connect(String connectPacket) {
        WsClient c = WsClient.connect(ws);
        c.nextText();
        c.send(connectPacket);
        return c;
    }

    private WsClient connectedAs(String user) {
        WsClient c = connect("40{\"token\":\"user:" + user + "\"}");
        assertThat(c.nextText()).startsWith("40{\"sid\":");
        assertThat(c.nextText()).startsWith("42[\"connection_ready\"");
        return c;
    }

    @Test
    void refusesAnInvalidTokenWithItsCodeAndNeverOpensASession() throws Exception {
        start();
        try (WsClient c = connect("40{\"token\":\"forged\"}")) {
            assertThat(c.nextText()).isEqualTo("44{\"message\":\"invalid token\",\"data\":{\"code\":\"INVALID_TOKEN\"}}");
        }
        assertThat(handler.calls).isEmpty();
    }

    @Test
    void refusesAMissingTokenWithAuthFailed() throws Exception {
        start();
        try (WsClient c = connect("40")) {
            assertThat(c.nextText()).contains("\"code\":\"AUTH_FAILED\"").startsWith("44{");
        }
    }

    @Test
    void reportsAnExpiredTokenAsTokenExpired() throws Exception {
        start();
        try (WsClient c = connect("40{\"token\":\"expired\"}")) {
            assertThat(c.nextText()).isEqualTo("44{\"message\":\"token expired\",\"data\":{\"code\":\"TOKEN_EXPIRED\"}}");
        }
    }

    @Test
    void takesTheTokenFromTheQueryWhenTheAuthPayloadHasNone() throws Exception {
        start();
        try (WsClient c = WsClient.connect(ws + "&token=user:q")) {
            c.nextText();
            c.send("40");
            assertThat(c.nextText()).startsWith("40{\"sid\":");
        }
        await().until(() -> handler.calls.contains("open:q"));
    }

    @Test
    void takesTheTokenFromTheAuthorizationHeaderLast() throws Exception {
        start();
        try (WsClient c = WsClient.connect(ws, Map.of("Authorization", "Bearer user:h"))) {
            c.nextText();
            c.send("40");
            assertThat(c.nextText()).startsWith("40{\"sid\":");
        }
        await().until(() -> handler.calls.contains("open:h"));
    }

    @Test
    void turnsARefusalFromOpenIntoConnectErrorWithoutAClosedCall() throws Exception {
        start();
        handler.refuseWith(new HeraldException(ErrorCode.CONNECTION_LIMIT_REACHED, "too many connections"));
        try (WsClient c = connect("40{\"token\":\"user:u1\"}")) {
            assertThat(c.nextText()).isEqualTo("44{\"message\":\"too many connections\",\"data\":{\"code\":\"CONNECTION_LIMIT_REACHED\"}}");
            c.send("41");
        }
        await().pollDelay(Duration.ofMillis(200)).until(() -> true);
        assertThat(handler.calls).containsExactly("open:u1");
    }

    @Test
    void drivesOpenReadyEventsAndClosedInOrder() throws Exception {
        start();
        try (WsClient c = connectedAs("u1")) {
            c.send("42[\"subscribe\",{\"channels\":[\"a\"]}]");
            c.send("42[\"ping\"]");
            c.send("41");
            await().until(() -> handler.count("closed:") == 1);
        }

        assertThat(handler.calls).containsExactly("open:u1", "ready:u1", "event:subscribe:{\"channels\":[\"a\"]}",
                "event:ping:null", "closed:client_closed");
        assertThat(handler.overlaps).isEmpty();
        assertThat(handler.offVirtualThread).isEmpty();
    }

    @Test
    void closesAConnectionThatNeverSendsConnect() throws Exception {
        start(GatewayConfig.defaults().withConnectTimeout(Duration.ofMillis(200)));
        try (WsClient c = WsClient.connect(ws)) {
            assertThat(c.nextText()).startsWith("0{");

            c.awaitClose();
        }
        assertThat(handler.calls).isEmpty();
    }

    @Test
    void answersAClientAckThroughTheAckPacket() throws Exception {
        start();
        try (WsClient c = connectedAs("u1")) {
            c.send("4217[\"room:join\",{\"room\":\"r\"}]");

            assertThat(c.nextText()).isEqualTo("4317[{\"ok\":true,\"echo\":{\"room\":\"r\"}}]");
        }
    }

    @Test
    void usesTheSocketIdAsSessionIdAndBridgesExtraNamespaces() throws Exception {
        start();
        try (WsClient c = connect("40/herald,{\"token\":\"user:u2\"}")) {
            String reply = c.nextText();
            assertThat(reply).startsWith("40/herald,{\"sid\":");
            assertThat(c.nextText()).startsWith("42/herald,[\"connection_ready\"");
            String socketId = reply.substring(reply.indexOf(":\"") + 2, reply.lastIndexOf('"'));
            assertThat(handler.sessions).extracting(Session::id).containsExactly(socketId);
        }
    }

    @Test
    void sendsOutboundEventsAsEventPackets() throws Exception {
        start();
        try (WsClient c = connectedAs("u1")) {
            Session session = handler.sessions.getFirst();

            assertThat(session.send(new OutboundEvent("notification", "{\"id\":\"n1\",\"title\":\"Hi\"}"))).isTrue();

            assertThat(c.nextText()).isEqualTo("42[\"notification\",{\"id\":\"n1\",\"title\":\"Hi\"}]");
            assertThat(session.transport()).isEqualTo(Transport.WEBSOCKET);
        }
    }

    @Test
    void tellsTheClientWhyBeforeDisconnectingIt() throws Exception {
        start();
        try (WsClient c = connectedAs("u1")) {
            Session session = handler.sessions.getFirst();

            session.close(DisconnectReason.kicked("bye"));

            assertThat(c.nextText()).isEqualTo("42[\"error\",{\"code\":\"SERVER_DISCONNECT\",\"message\":\"bye\"}]");
            assertThat(c.nextText()).isEqualTo("41");
            await().until(() -> handler.calls.contains("closed:server_disconnect"));
            assertThat(session.isOpen()).isFalse();
            assertThat(session.send(new OutboundEvent("late", "{}"))).isFalse();
        }
    }

    @Test
    void answersEventsOverTheRateLimitWithoutProcessingThem() throws Exception {
        start(GatewayConfig.defaults().withRateLimit(0.001, 2));
        try (WsClient c = connectedAs("u1")) {
            c.send("421[\"a\",1]");
            c.send("422[\"b\",2]");
            c.send("423[\"c\",3]");
            c.send("42[\"d\",4]");

            // Refusals are written at once, accepted events after the handler ran: compare without order.
            List<String> frames = List.of(c.nextText(), c.nextText(), c.nextText(), c.nextText());

            assertThat(frames).containsExactlyInAnyOrder(
                    "431[{\"ok\":true,\"echo\":1}]",
                    "432[{\"ok\":true,\"echo\":2}]",
                    "433[{\"error\":{\"code\":\"RATE_LIMITED\",\"message\":\"too many events, slow down\",\"retryAfter\":1}}]",
                    "42[\"error\",{\"code\":\"RATE_LIMITED\",\"message\":\"too many events, slow down\",\"retryAfter\":1}]");
        }
        assertThat(handler.count("event:")).isEqualTo(2);
        assertThat(server.metrics().rateLimitedEvents()).isEqualTo(2);
    }

    @Test
    void shutdownTellsClientsAndClosesTheTransportWithoutADisconnectSoTheyReconnect() throws Exception {
        start();
        try (WsClient c = connectedAs("u1")) {
            server.shutdown(Duration.ofSeconds(5));

            assertThat(handler.calls).contains("closed:server_shutdown");
            assertThat(c.nextText()).isEqualTo("42[\"error\",{\"code\":\"SERVER_SHUTDOWN\",\"message\":\"server is shutting down\"}]");
            // No "41": after a DISCONNECT the official client would stay away for good.
            c.awaitClose();
            assertThat(c.drain()).doesNotContain("41");
            server = null;
        }
    }

    @Test
    void followsTheTransportThroughAnUpgrade() throws Exception {
        start();
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + server.port() + "/socket.io/?EIO=4&transport=polling";
        String open = http.send(HttpRequest.newBuilder(URI.create(base)).build(), HttpResponse.BodyHandlers.ofString()).body();
        String sid = open.substring(open.indexOf("\"sid\":\"") + 7, open.indexOf("\",\"upgrades\""));
        http.send(HttpRequest.newBuilder(URI.create(base + "&sid=" + sid))
                .POST(HttpRequest.BodyPublishers.ofString("40{\"token\":\"user:p\"}")).build(), HttpResponse.BodyHandlers.ofString());
        await().until(() -> !handler.sessions.isEmpty());
        Session session = handler.sessions.getFirst();
        assertThat(session.transport()).isEqualTo(Transport.POLLING);

        try (WsClient c = WsClient.connect(ws + "&sid=" + sid)) {
            c.send("2probe");
            c.nextText();
            c.send("5");

            await().until(() -> session.transport() == Transport.WEBSOCKET);
            assertThat(c.nextText()).startsWith("40{\"sid\":"); // queued packets move to the WebSocket
        }
    }
}
