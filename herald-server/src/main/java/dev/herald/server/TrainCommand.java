package dev.herald.server;

import dev.herald.api.auth.TokenIssuer;
import dev.herald.server.config.Env;
import dev.herald.server.config.HeraldConfig;
import dev.herald.server.ops.Logging;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code herald train}: the training run of JDK 25's ahead-of-time cache (JEP 483/514/515). The
 * launcher runs it once per built jar under {@code -XX:AOTCacheOutput}; the JVM records which
 * classes were loaded and linked and which methods were hot, and every later start maps that
 * cache instead of loading, linking and profiling from nothing. What a restarted node does first
 * is what this does: Socket.IO handshakes and the first events of each client, and notifications
 * created over REST and delivered live. It runs a private node on loopback ports and a temporary
 * embedded store, and exits; nothing of it survives but the cache.
 */
@Command(name = "train", hidden = true, description = "Exercise a private node so the JVM can write its AOT cache, then exit.")
final class TrainCommand implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--connections", defaultValue = "3000", description = "Socket.IO handshakes to make (default ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--notifications", defaultValue = "500", description = "notifications to create over REST (default ${DEFAULT-VALUE})")
    int notifications;

    @Override
    public Integer call() throws Exception {
        Path data = Files.createTempDirectory("herald-train");
        String secret = HexFormat.of().formatHex(SecureRandom.getSeed(32));
        String apiKey = "train-" + HexFormat.of().formatHex(SecureRandom.getSeed(16));
        HeraldConfig config = HeraldConfig.from(new Env(Map.of("HOST", "127.0.0.1", "SOCKETIO_PORT", "0", "GRPC_PORT", "0",
                "HERALD_DATA_DIR", data.toString(), "JWT_SECRET", secret, "HERALD_API_KEYS", apiKey,
                "MAX_CONNECTIONS_PER_IP", "0", "MAX_CONNECTIONS", String.valueOf(connections + 100), "LOG_LEVEL", "error")));
        Logging.configure(config.ops());
        TokenIssuer tokens = new TokenIssuer(Wiring.jwtConfig(config), Clock.systemUTC());
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (Herald herald = Herald.start(config, Clock.systemUTC())) {
            int port = herald.clientPort();
            List<WebSocket> open = handshakes(http, port, tokens);
            createNotifications(http, port, apiKey);
            for (WebSocket ws : open) ws.abort();
        } finally {
            // Not close(): it would wait for every WebSocket's closing handshake; the node is gone anyway.
            http.shutdownNow();
            try (Stream<Path> files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }

    /** Handshakes over the websocket transport as the official client makes them, 64 in flight. */
    private List<WebSocket> handshakes(HttpClient http, int port, TokenIssuer tokens) throws InterruptedException {
        Semaphore inFlight = new Semaphore(64);
        List<WebSocket> kept = new ArrayList<>();
        List<CompletableFuture<WebSocket>> all = new ArrayList<>();
        URI uri = URI.create("ws://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=websocket");
        for (int i = 0; i < connections; i++) {
            inFlight.acquire();
            String user = "train-" + (i % 500);
            String token = tokens.issue(user, "train-team-" + (i % 20), List.of(), List.of(), Duration.ofMinutes(10));
            CompletableFuture<WebSocket> connected = new CompletableFuture<>();
            http.newWebSocketBuilder().buildAsync(uri, new SocketIoListener(token, connected))
                    .exceptionally(e -> {
                        connected.completeExceptionally(e);
                        return null;
                    });
            connected.whenComplete((ws, e) -> inFlight.release());
            all.add(connected);
        }
        for (CompletableFuture<WebSocket> f : all) {
            try {
                WebSocket ws = f.get(30, TimeUnit.SECONDS);
                // Keep a tenth open for the notifications' live deliveries; close the rest as clients churn.
                if (kept.size() < connections / 10) kept.add(ws);
                else ws.abort();
            } catch (Exception e) {
                // A refused or slow handshake trains as well as a good one; the run goes on.
            }
        }
        return kept;
    }

    private void createNotifications(HttpClient http, int port, String apiKey) throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/notifications");
        List<CompletableFuture<HttpResponse<Void>>> sent = new ArrayList<>();
        for (int i = 0; i < notifications; i++) {
            String body = "{\"recipients\":[\"train-" + (i % 500) + "\"],\"type\":\"train\",\"title\":\"Training\","
                    + "\"message\":\"Notification " + i + "\",\"data\":{\"n\":" + i + "}}";
            sent.add(http.sendAsync(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + apiKey)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.discarding()));
            if (sent.size() >= 32) {
                CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
                sent.clear();
            }
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
    }

    /**
     * The client side of one Engine.IO v4 / Socket.IO v5 connection: CONNECT with the token after
     * the open packet, answer pings, and once connected ask for missed notifications as a client
     * returning from a restart does.
     */
    private static final class SocketIoListener implements WebSocket.Listener {
        private final String token;
        private final CompletableFuture<WebSocket> connected;
        private final StringBuilder partial = new StringBuilder();

        SocketIoListener(String token, CompletableFuture<WebSocket> connected) {
            this.token = token;
            this.connected = connected;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String frame = partial.toString();
                partial.setLength(0);
                if (frame.startsWith("0")) {
                    ws.sendText("40{\"token\":\"" + token + "\"}", true);
                } else if (frame.startsWith("40")) {
                    ws.sendText("421[\"notifications:sync\",{\"limit\":50}]", true);
                    connected.complete(ws);
                } else if (frame.startsWith("44")) {
                    connected.completeExceptionally(new IOException("refused: " + frame));
                } else if (frame.equals("2")) {
                    ws.sendText("3", true);
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
            connected.completeExceptionally(new IOException("closed " + status));
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            connected.completeExceptionally(error);
        }
    }
}
