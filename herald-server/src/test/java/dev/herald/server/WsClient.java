package dev.herald.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A plain /ws client for tests: JSON frames in a queue, the close code in a future. */
final class WsClient implements AutoCloseable {
    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    /** Every frame received, in order, whatever {@link #next} consumed. */
    final List<JsonNode> all = new java.util.concurrent.CopyOnWriteArrayList<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;

    private WsClient(URI uri) {
        StringBuilder text = new StringBuilder();
        socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(uri, new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            JsonNode frame = Json.parse(text.toString(), "frame");
                            all.add(frame);
                            frames.add(frame);
                            text.setLength(0);
                        }
                        ws.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                        closed.complete(statusCode);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket ws, Throwable error) {
                        closed.complete(-1);
                    }
                }).join();
    }

    static WsClient connect(int port, String token) {
        return new WsClient(URI.create("ws://127.0.0.1:" + port + "/ws?token=" + token));
    }

    /** The next frame with this event name (frames before it are dropped). */
    JsonNode next(String event) throws InterruptedException {
        return next(event, Duration.ofSeconds(5));
    }

    /** As {@link #next(String)}, waiting up to {@code wait}. */
    JsonNode next(String event, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode f = frames.poll(100, TimeUnit.MILLISECONDS);
            if (f != null && event.equals(f.path("event").asText())) return f;
        }
        throw new AssertionError("no '" + event + "' frame within " + wait);
    }

    void send(String json) {
        socket.sendText(json, true).join();
    }

    List<JsonNode> drain() {
        List<JsonNode> out = new java.util.ArrayList<>();
        frames.drainTo(out);
        return out;
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
}
