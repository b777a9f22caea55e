package dev.herald.channels.push;

import dev.herald.channels.webhook.WebhookHttp;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * The HttpClient a push provider is called with (HTTP/2, which APNs requires and FCM prefers;
 * pooled; no redirects; work on virtual threads) and one exchange that always returns within the
 * timeout: an {@link Answer}, or the reason it could not be had (a timeout, a refused connection),
 * which the provider senders turn into a retry. Thread-safe.
 */
public final class PushHttp implements AutoCloseable {
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /** A provider's answer; {@code body} is for parsing its error code, never for a log. */
    public record Answer(int status, HttpHeaders headers, String body) {
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    /** Either an answer or, when there is none, why (safe to log). */
    public record Outcome(Answer answer, String failure) {}

    private final HttpClient client;
    private final Clock clock;

    private PushHttp(HttpClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    public static PushHttp open(Clock clock) {
        return open(clock, null);
    }

    /** With {@code ssl} null, the JDK's default trust; tests pass a context trusting their own server. */
    public static PushHttp open(Clock clock, SSLContext ssl) {
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_2)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(CONNECT_TIMEOUT)
                .executor(Executors.newVirtualThreadPerTaskExecutor());
        if (ssl != null) b.sslContext(ssl);
        return new PushHttp(b.build(), clock);
    }

    public Clock clock() {
        return clock;
    }

    /** Sends {@code request} (built with {@link #REQUEST_TIMEOUT} by the caller's {@link #request}). */
    public Outcome exchange(HttpRequest request) {
        CompletableFuture<HttpResponse<String>> future =
                client.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        try {
            HttpResponse<String> r = future.get(CONNECT_TIMEOUT.plus(REQUEST_TIMEOUT).toMillis(), TimeUnit.MILLISECONDS);
            return new Outcome(new Answer(r.statusCode(), r.headers(), r.body()), null);
        } catch (TimeoutException e) {
            future.cancel(true);
            return new Outcome(null, "timeout after " + REQUEST_TIMEOUT.toSeconds() + "s");
        } catch (ExecutionException e) {
            return new Outcome(null, failure(e.getCause()));
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return new Outcome(null, "interrupted");
        }
    }

    /** A request builder with the timeout every push call uses. */
    public static HttpRequest.Builder request(java.net.URI uri) {
        return HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT);
    }

    /** 429 or 5xx: the provider asks to come back, maybe saying when. */
    public DeviceResult.Retry retry(Answer answer, String reason) {
        return new DeviceResult.Retry(reason, WebhookHttp.retryAfter(answer.header("Retry-After"), clock.instant()));
    }

    public static boolean retryable(int status) {
        return status == 429 || status >= 500;
    }

    private static String failure(Throwable cause) {
        if (cause instanceof HttpConnectTimeoutException) return "connect timeout after " + CONNECT_TIMEOUT.toSeconds() + "s";
        if (cause instanceof HttpTimeoutException) return "timeout after " + REQUEST_TIMEOUT.toSeconds() + "s";
        if (cause instanceof ConnectException) return "connection refused";
        if (cause instanceof SSLException) return "tls failed: " + cause.getClass().getSimpleName();
        if (cause instanceof IOException) return "io error: " + cause.getClass().getSimpleName();
        return "error: " + (cause == null ? "unknown" : cause.getClass().getSimpleName());
    }

    @Override
    public void close() {
        client.shutdownNow();
    }
}
