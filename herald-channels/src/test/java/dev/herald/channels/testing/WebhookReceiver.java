package dev.herald.channels.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook endpoint on a loopback port that checks every request the way a careful Standard
 * Webhooks consumer does: the three headers present, {@code webhook-timestamp} within five minutes
 * of its clock, one {@code v1} signature matching HMAC-SHA256 of {@code id.timestamp.body} under the
 * secret (compared in constant time). A request that fails the check is answered 401 and only
 * counted in {@link #rejected()}; the others are recorded and answered from the script.
 *
 * <p>The script applies per {@code webhook-id}: the n-th verified request carrying an id gets the
 * n-th answer, and the last answer repeats. So {@code respond(status(503), status(503), status(200))}
 * answers every delivery 503 twice then 200, and {@code respond(status(500))} always 500. The default
 * script is {@code status(200)}. Its signature check is written apart from the sender's on purpose,
 * from the spec, so a bug in one is not mirrored by the other.
 *
 * <pre>{@code
 * try (var receiver = WebhookReceiver.start("whsec_...")) {
 *     receiver.respond(Answer.status(429).retryAfter("7"));
 *     ... post to receiver.url() ...
 *     assertThat(receiver.count(deliveryId)).isEqualTo(1);
 * }
 * }</pre>
 * Thread-safe; requests are served on virtual threads, so a hanging answer holds nothing else up.
 */
public final class WebhookReceiver implements AutoCloseable {
    public static final Duration TOLERANCE = Duration.ofMinutes(5);

    /**
     * How to answer one request: a status with headers (a {@code Retry-After}, a {@code Location}), or
     * never ({@link #hang()}); given at once, or only when a gate opens ({@link #after}).
     *
     * @param gate null, or a latch the answer waits for
     */
    public record Answer(int status, Map<String, String> headers, boolean hangs, CountDownLatch gate) {
        public Answer {
            headers = Map.copyOf(headers);
        }

        public static Answer status(int status) {
            return new Answer(status, Map.of(), false, null);
        }

        /** Never answers (until the receiver closes): the sender's timeout has to fire. */
        public static Answer hang() {
            return new Answer(0, Map.of(), true, null);
        }

        /**
         * The same answer, given only once {@code gate} is counted down (or the receiver closes): the
         * request stays in flight until the test decides, which no sleep could make sure of.
         */
        public Answer after(CountDownLatch gate) {
            return new Answer(status, headers, hangs, gate);
        }

        /** The same answer with one more response header. */
        public Answer header(String name, String value) {
            Map<String, String> more = new HashMap<>(headers);
            more.put(name, value);
            return new Answer(status, more, hangs, gate);
        }

        /** The same status with {@code Retry-After: value} (seconds or an HTTP date). */
        public Answer retryAfter(String value) {
            return header("Retry-After", value);
        }
    }

    /**
     * A verified request, in arrival order.
     *
     * @param attempt 1 for the first request with this id
     * @param headers lower-cased names
     * @param answer what the script answered it
     */
    public record Received(String id, long timestamp, String body, Map<String, List<String>> headers, int attempt,
                           Answer answer) {
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final byte[] key;
    private final Clock clock;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final List<Received> received = new ArrayList<>();
    private final Map<String, Integer> counts = new HashMap<>();
    private List<Answer> script = List.of(Answer.status(200));
    private int rejected;

    private WebhookReceiver(String secret, Clock clock) throws IOException {
        if (!secret.startsWith("whsec_")) throw new IllegalArgumentException("a Standard Webhooks secret starts with whsec_");
        this.key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        this.clock = clock;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A receiver on a free loopback port checking signatures against {@code secret} ({@code whsec_<base64>}). */
    public static WebhookReceiver start(String secret) {
        return start(secret, Clock.systemUTC());
    }

    /** Same, judging {@code webhook-timestamp} by {@code clock} (give it the sender's clock). */
    public static WebhookReceiver start(String secret, Clock clock) {
        try {
            return new WebhookReceiver(secret, clock);
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind a loopback port", e);
        }
    }

    /** {@code http://127.0.0.1:<port>/hook}. */
    public String url() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort() + "/hook";
    }

    public URI uri() {
        return URI.create(url());
    }

    /** Replaces the script (see the class comment); ids already seen keep their count. */
    public synchronized WebhookReceiver respond(Answer... answers) {
        if (answers.length == 0) throw new IllegalArgumentException("a script needs at least one answer");
        script = List.of(answers);
        return this;
    }

    /** Every verified request, oldest first. */
    public synchronized List<Received> received() {
        return List.copyOf(received);
    }

    /** How many verified requests carried {@code webhookId}. */
    public synchronized int count(String webhookId) {
        return counts.getOrDefault(webhookId, 0);
    }

    /** How many requests were refused with 401 (a bad, missing or stale signature). */
    public synchronized int rejected() {
        return rejected;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            var headers = exchange.getRequestHeaders();
            String id = headers.getFirst("webhook-id");
            String timestamp = headers.getFirst("webhook-timestamp");
            String signatures = headers.getFirst("webhook-signature");
            Long ts = verified(id, timestamp, signatures, body);
            if (ts == null) {
                synchronized (this) {
                    rejected++;
                }
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            Answer answer = record(id, ts, body, headers);
            if (answer.gate() != null) answer.gate().await();
            if (answer.hangs()) {
                closing.await();
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            answer.headers().forEach(exchange.getResponseHeaders()::set);
            exchange.sendResponseHeaders(answer.status(), -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized Answer record(String id, long ts, byte[] body, Map<String, List<String>> headers) {
        int attempt = counts.merge(id, 1, Integer::sum);
        Answer answer = script.get(Math.min(attempt, script.size()) - 1);
        Map<String, List<String>> lower = new HashMap<>();
        headers.forEach((name, values) -> lower.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        received.add(new Received(id, ts, new String(body, StandardCharsets.UTF_8), Map.copyOf(lower), attempt, answer));
        return answer;
    }

    /** The timestamp when the request is authentic and fresh, else null. */
    private Long verified(String id, String timestamp, String signatures, byte[] body) {
        if (id == null || timestamp == null || signatures == null) return null;
        long ts;
        try {
            ts = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return null;
        }
        if (Math.abs(clock.instant().getEpochSecond() - ts) > TOLERANCE.toSeconds()) return null;
        byte[] expected;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            expected = Base64.getEncoder().encode(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        for (String signature : signatures.split(" ")) {
            if (signature.startsWith("v1,")
                    && MessageDigest.isEqual(expected, signature.substring(3).getBytes(StandardCharsets.US_ASCII))) {
                return ts;
            }
        }
        return null;
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
