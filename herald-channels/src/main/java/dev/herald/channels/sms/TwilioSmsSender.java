package dev.herald.channels.sms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.channels.webhook.WebhookHttp;
import dev.herald.core.deliver.dispatch.ChannelSender;
import dev.herald.core.deliver.dispatch.OutboundMessage;
import dev.herald.core.deliver.dispatch.SendResult;
import dev.herald.core.notification.Channel;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The SMS channel over a Twilio-compatible API: {@code POST {SMS_URL}/2010-04-01/Accounts/{sid}/Messages.json}
 * with the form fields {@code To}, {@code From}, {@code Body} and HTTP basic auth (account sid,
 * auth token). The rendered text is sent as it is; its GSM-7 or UCS-2 encoding and segment count
 * ({@link SmsEncoding}) go to the delivery log, and the message's {@code sid} is the provider id.
 *
 * <p>What an answer means: 2xx sent; 429 and 5xx, timeouts and I/O errors retry (with the
 * {@code Retry-After} hint); 401 and 403 retry too, as refused credentials are the operator's to
 * fix (the message becomes a replayable dead letter, not a failure of the user's number); any other
 * 4xx fails, with the provider's error code (Twilio's 21211: invalid number), never its message text,
 * which quotes the number. Thread-safe; {@link #send} blocks (a virtual thread) for at most about
 * the connect plus the request timeout.
 */
public final class TwilioSmsSender implements ChannelSender, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration MAX_CONNECT = Duration.ofSeconds(5);

    private final SmsConfig config;
    private final Clock clock;
    private final HttpClient client;
    private final String authorization;
    private final Duration deadline;

    public TwilioSmsSender(SmsConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        Duration connect = config.timeout().compareTo(MAX_CONNECT) < 0 ? config.timeout() : MAX_CONNECT;
        this.client = HttpClient.newBuilder().connectTimeout(connect).followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (config.accountSid() + ":" + config.authToken()).getBytes(StandardCharsets.UTF_8));
        this.deadline = connect.plus(config.timeout());
    }

    @Override
    public Channel channel() {
        return Channel.SMS;
    }

    @Override
    public String provider() {
        return "twilio";
    }

    /** The text an SMS carries: the rendered text, or the subject when a template gave no text. */
    static String text(OutboundMessage.Content content) {
        return content.text().isBlank() ? content.subject() : content.text();
    }

    @Override
    public SendResult send(OutboundMessage message) {
        String phone = message.contact().phone();
        if (phone == null || phone.isBlank()) return new SendResult.Failed("no_address");
        String text = text(message.content());
        String form = "To=" + encode(phone) + "&From=" + encode(config.from()) + "&Body=" + encode(text);
        HttpRequest request = HttpRequest.newBuilder(config.messagesUrl())
                .timeout(config.timeout())
                .header("Authorization", authorization)
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8))
                .build();
        CompletableFuture<HttpResponse<String>> answer = client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        try {
            HttpResponse<String> response = answer.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            return classify(response, SmsEncoding.of(text));
        } catch (TimeoutException e) {
            answer.cancel(true);
            return new SendResult.Retry("timeout", null);
        } catch (ExecutionException e) {
            return failure(e.getCause());
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            return new SendResult.Retry("interrupted", null);
        }
    }

    private SendResult classify(HttpResponse<String> response, SmsEncoding encoding) {
        int status = response.statusCode();
        JsonNode body = parse(response.body());
        if (status >= 200 && status < 300) {
            String sid = body.path("sid").isTextual() ? body.path("sid").asText() : null;
            return new SendResult.Sent(sid, encoding.detail());
        }
        String reason = "http " + status + (body.path("code").canConvertToLong() ? " code " + body.path("code").asLong() : "");
        if (status == 429 || status >= 500) {
            return new SendResult.Retry(reason, WebhookHttp.retryAfter(response.headers().firstValue("Retry-After").orElse(null), clock.instant()));
        }
        if (status == 401 || status == 403) return new SendResult.Retry("sms auth refused (" + reason + ")", null);
        return new SendResult.Failed(reason);
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? JSON.missingNode() : JSON.readTree(body);
        } catch (IOException e) {
            return JSON.missingNode();
        }
    }

    private static SendResult failure(Throwable cause) {
        String reason;
        if (cause instanceof HttpConnectTimeoutException) reason = "connect timeout";
        else if (cause instanceof HttpTimeoutException) reason = "timeout";
        else if (cause instanceof ConnectException) reason = "connection refused";
        else if (cause instanceof IOException) reason = "io error: " + cause.getClass().getSimpleName();
        else reason = "error: " + (cause == null ? "unknown" : cause.getClass().getSimpleName());
        return new SendResult.Retry(reason, null);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        client.shutdownNow();
    }
}
