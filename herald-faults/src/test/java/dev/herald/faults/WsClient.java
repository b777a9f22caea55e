package dev.herald.faults;

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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A plain /ws client: every JSON frame is kept in arrival order ({@link #frames}) and also queued
 * for {@link #next}; the close code completes {@link #closed} (-1 when the connection broke).
 */
final class WsClient implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    final List<JsonNode> frames = new CopyOnWriteArrayList<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final BlockingQueue<JsonNode> queue = new LinkedBlockingQueue<>();
    private final WebSocket socket;

    private WsClient(URI uri) {
        StringBuilder text = new StringBuilder();
        socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(uri, new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            JsonNode frame = Json.parse(text.toString(), "frame");
                            frames.add(frame);
                            queue.add(frame);
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
                }).orTimeout(10, TimeUnit.SECONDS).join();
    }

    static WsClient connect(HeraldProcess node, String token) {
        return new WsClient(URI.create("ws://127.0.0.1:" + node.port() + "/ws?token=" + token));
    }

    /** The next frame with this event name (frames before it are skipped), waiting up to {@code wait}. */
    JsonNode next(String event, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode f = queue.poll(100, TimeUnit.MILLISECONDS);
            if (f != null && event.equals(f.path("event").asText())) return f;
        }
        throw new AssertionError("no '" + event + "' frame within " + wait);
    }

    /** Sends one JSON frame, e.g. {@code {"event":"notifications:sync","data":{…}}}. */
    void send(String json) {
        socket.sendText(json, true).join();
    }

    @Override
    public void close() {
        socket.abort();
    }
}
