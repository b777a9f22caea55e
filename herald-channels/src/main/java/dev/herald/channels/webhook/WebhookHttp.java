package dev.herald.channels.webhook;

import dev.herald.core.deliver.dispatch.SendResult;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * One signed Standard Webhooks POST and what its answer means (the spec's "delivery success and
 * failure"): 2xx sent; 429, 5xx, 408, timeouts and I/O errors retry (with the {@code Retry-After}
 * hint, seconds or an HTTP date, capped at a day); a 3xx fails, redirects are never followed (the
 * spec asks the owner to update the URL, and following one would carry a signed body to a host
 * the user never gave); 410 and the other 4xx fail. Reasons are a status or an exception's kind:
 * never the body, the URL or the secret.
 *
 * <p>Owns one HttpClient shared by the webhook sender and the status callbacks: HTTP/2 where the
 * server offers it (ALPN), HTTP/1.1 otherwise, pooled connections, its work on virtual threads.
 * Thread-safe; {@link #post} blocks (call it on a virtual thread) and always returns within about
 * the connect plus the request timeout.
 */
public final class WebhookHttp implements AutoCloseable {
    static final Duration MAX_RETRY_AFTER = Duration.ofDays(1);

    private final HttpClient client;
    private final SigningSecret secret;
    private final Clock clock;
    private final Duration requestTimeout;
    private final Duration deadline;
    private final String userAgent;

    private WebhookHttp(HttpClient client, WebhookConfig config, Clock clock) {
        this.client = client;
        this.secret = config.secret();
        this.clock = clock;
        this.requestTimeout = config.requestTimeout();
        this.deadline = config.connectTimeout().plus(config.requestTimeout());
        this.userAgent = config.userAgent();
    }

    public static WebhookHttp open(WebhookConfig config, Clock clock) {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_2)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(config.connectTimeout())
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
        return new WebhookHttp(client, config, clock);
    }

    /**
     * POSTs {@code body} to {@code url} signed for {@code id} (the {@code webhook-id}: the same on
     * every retry of one message, so the receiver can dedupe) at the clock's current second.
     */
    public SendResult post(URI url, String id, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        long timestamp = clock.instant().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", userAgent)
                .header("webhook-id", id)
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", secret.sign(id, timestamp, bytes))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build();
        CompletableFuture<HttpResponse<Void>> answer = client.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        try {
            // The request timeout covers the wait for the status line; this deadline also covers a
            // connect and a body that never ends.
            HttpResponse<Void> response = answer.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            return classify(response.statusCode(), response.headers().firstValue("Retry-After").orElse(null));
        } catch (TimeoutException e) {
            answer.cancel(true);
            return new SendResult.Retry("timeout after " + seconds(requestTimeout), null);
        } catch (ExecutionException e) {
            return failure(e.getCause());
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            return new SendResult.Retry("interrupted", null);
        }
    }

    SendResult classify(int status, String retryAfter) {
        String reason = "http " + status;
        if (status >= 200 && status < 300) return new SendResult.Sent(null);
        if (status >= 300 && status < 400) return new SendResult.Failed(reason + ": redirects are not followed, update the webhook url");
        if (status == 429 || status == 408 || status >= 500) return new SendResult.Retry(reason, retryAfter(retryAfter, clock.instant()));
        return new SendResult.Failed(reason);
    }

    private SendResult failure(Throwable cause) {
        String reason;
        if (cause instanceof HttpConnectTimeoutException) reason = "connect timeout after " + seconds(deadline.minus(requestTimeout));
        else if (cause instanceof HttpTimeoutException) reason = "timeout after " + seconds(requestTimeout);
        else if (cause instanceof ConnectException) reason = "connection refused";
        else if (cause instanceof UnknownHostException || cause instanceof UnresolvedAddressException
                || cause != null && cause.getCause() instanceof UnresolvedAddressException) reason = "unknown host";
        else if (cause instanceof SSLException) reason = "tls failed: " + cause.getClass().getSimpleName();
        else if (cause instanceof IOException) reason = "io error: " + cause.getClass().getSimpleName();
        else reason = "error: " + (cause == null ? "unknown" : cause.getClass().getSimpleName());
        return new SendResult.Retry(reason, null);
    }

    /** A {@code Retry-After} (delta seconds or an HTTP date) as a wait from {@code now}, capped at a day; null when absent or unreadable. Shared with the SMS sender. */
    public static Duration retryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) return null;
        String v = value.strip();
        Duration wait;
        if (v.chars().allMatch(Character::isDigit)) {
            wait = v.length() > 9 ? MAX_RETRY_AFTER : Duration.ofSeconds(Long.parseLong(v));
        } else {
            try {
                wait = Duration.between(now, ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (DateTimeParseException e) {
                return null;
            }
            if (wait.isNegative()) wait = Duration.ZERO;
        }
        return wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait;
    }

    static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    /** Stops at once: posts under way answer a retry, which the dispatcher schedules again on a live node. */
    @Override
    public void close() {
        client.shutdownNow();
    }
}
