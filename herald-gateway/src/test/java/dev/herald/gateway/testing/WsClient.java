package dev.herald.gateway.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A test WebSocket client on the JDK's HttpClient: every text frame arrives as a String, every
 * binary frame as a byte[], and the close as a {@link Closed}.
 */
public final class WsClient implements AutoCloseable {
    public record Closed(int code, String reason) {
    }

    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final WebSocket ws;

    private WsClient(String url, Map<String, String> headers) {
        HttpClient client = HttpClient.newHttpClient();
        var builder = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        headers.forEach(builder::header);
        this.ws = builder.buildAsync(URI.create(url), new Listener()).join();
    }

    public static WsClient connect(String url) {
        return new WsClient(url, Map.of());
    }

    public static WsClient connect(String url, Map<String, String> headers) {
        return new WsClient(url, headers);
    }

    public void send(String text) {
        ws.sendText(text, true).join();
    }

    public void send(byte[] data) {
        ws.sendBinary(ByteBuffer.wrap(data), true).join();
    }

    /** The next frame, waiting up to 5 s; fails the test when none comes. */
    public Object next() {
        try {
            Object o = inbox.poll(5, TimeUnit.SECONDS);
            if (o == null) throw new AssertionError("no frame within 5 s");
            return o;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    public String nextText() {
        Object o = next();
        if (!(o instanceof String s)) throw new AssertionError("expected a text frame, got " + describe(o));
        return s;
    }

    /** The next text frame that is not an Engine.IO ping. */
    public String nextNonPing() {
        while (true) {
            String s = nextText();
            if (!"2".equals(s)) return s;
        }
    }

    public byte[] nextBinary() {
        Object o = next();
        if (!(o instanceof byte[] b)) throw new AssertionError("expected a binary frame, got " + describe(o));
        return b;
    }

    /** Waits for the server to close; the frames still queued are returned in order. */
    public Closed awaitClose() {
        return closed.orTimeout(10, TimeUnit.SECONDS).join();
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    public List<Object> drain() {
        List<Object> out = new ArrayList<>();
        inbox.drainTo(out);
        return out;
    }

    private static String describe(Object o) {
        return o instanceof byte[] b ? "binary[" + b.length + "]" : String.valueOf(o);
    }

    @Override
    public void close() {
        if (!closed.isDone()) ws.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private java.io.ByteArrayOutputStream bin = new java.io.ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                inbox.add(text.toString());
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            bin.writeBytes(b);
            if (last) {
                inbox.add(bin.toByteArray());
                bin = new java.io.ByteArrayOutputStream();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(new Closed(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(new Closed(-1, String.valueOf(error)));
        }
    }
}
