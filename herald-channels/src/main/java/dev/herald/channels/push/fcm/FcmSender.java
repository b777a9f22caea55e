package dev.herald.channels.push.fcm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.channels.push.DeviceResult;
import dev.herald.channels.push.DeviceSender;
import dev.herald.channels.push.PushHttp;
import dev.herald.channels.push.PushMessage;
import dev.herald.core.notification.Device;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Locale;
import java.util.Map;

/**
 * FCM HTTP v1: {@code POST {base}/v1/projects/{project}/messages:send} with a bearer token from
 * {@link GoogleAccessTokens}, the message {@code {token, notification: {title, body}, data,
 * android.priority, apns.headers.apns-priority}}; {@code data} holds the notification's top-level
 * fields as strings (FCM only takes strings), less the keys FCM reserves.
 *
 * <p>Answers: 200 sent (the message {@code name} is the provider id); 404 or {@code UNREGISTERED}
 * gone (the device is removed); 401 retry with a fresh token; 429 and 5xx retry with
 * {@code Retry-After}; other 4xx failed, with FCM's status ({@code INVALID_ARGUMENT}...).
 */
public final class FcmSender implements DeviceSender {
    private final PushHttp http;
    private final GoogleAccessTokens tokens;
    private final URI sendUrl;

    public FcmSender(FcmConfig config, PushHttp http) {
        this.http = http;
        this.tokens = new GoogleAccessTokens(config.account(), config.tokenUrl(), http);
        String base = config.baseUrl().toString().replaceAll("/+$", "");
        this.sendUrl = URI.create(base + "/v1/projects/" + config.account().projectId() + "/messages:send");
    }

    @Override
    public Device.Platform platform() {
        return Device.Platform.FCM;
    }

    @Override
    public String provider() {
        return "fcm";
    }

    @Override
    public DeviceResult send(Device device, PushMessage message) {
        GoogleAccessTokens.Token token = tokens.get();
        if (token.value() == null) {
            return token.retryable() ? new DeviceResult.Retry(token.failure(), token.retryAfter()) : new DeviceResult.Failed(token.failure());
        }
        PushHttp.Outcome outcome = http.exchange(PushHttp.request(sendUrl)
                .header("Authorization", "Bearer " + token.value())
                .header("Content-Type", "application/json; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(fitted(device, message))).build());
        if (outcome.answer() == null) return new DeviceResult.Retry(outcome.failure(), null);
        PushHttp.Answer a = outcome.answer();
        int status = a.status();
        if (status == 200) return new DeviceResult.Sent(name(a.body()));
        String code = errorCode(a.body());
        String reason = "http " + status + (code.isEmpty() ? "" : " " + code);
        if (status == 404 || code.equals("UNREGISTERED")) return new DeviceResult.Gone(reason);
        if (status == 401) {
            tokens.invalidate(token.value());
            return new DeviceResult.Retry(reason, null);
        }
        if (PushHttp.retryable(status)) return http.retry(a, reason);
        return new DeviceResult.Failed(reason);
    }

    /** The message, with its data cut down when the whole would pass FCM's 4 KB (FCM would refuse it). */
    static String fitted(Device device, PushMessage message) {
        String full = body(device, message, message.data()).toString();
        if (full.getBytes(java.nio.charset.StandardCharsets.UTF_8).length - device.token().length() <= PushMessage.MAX_PAYLOAD_BYTES) return full;
        return body(device, message, message.compactData()).toString();
    }

    static ObjectNode body(Device device, PushMessage message, ObjectNode source) {
        ObjectNode root = PushMessage.json().createObjectNode();
        ObjectNode m = root.putObject("message");
        m.put("token", device.token());
        m.putObject("notification").put("title", message.title()).put("body", message.body());
        ObjectNode data = m.putObject("data");
        for (Map.Entry<String, JsonNode> e : source.properties()) {
            if (reserved(e.getKey()) || e.getValue().isNull()) continue;
            data.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString());
        }
        m.putObject("android").put("priority", message.high() ? "HIGH" : "NORMAL");
        m.putObject("apns").putObject("headers").put("apns-priority", message.high() ? "10" : "5");
        return root;
    }

    /** Keys FCM refuses in {@code data}. */
    static boolean reserved(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.equals("from") || k.equals("notification") || k.equals("message_type") || k.startsWith("google") || k.startsWith("gcm");
    }

    private static String name(String body) {
        try {
            return PushMessage.json().readTree(body).path("name").asText(null);
        } catch (Exception e) {
            return null;
        }
    }

    /** FCM's error code ({@code UNREGISTERED}...) or else its status ({@code INVALID_ARGUMENT}), or "". */
    static String errorCode(String body) {
        try {
            JsonNode error = PushMessage.json().readTree(body).path("error");
            for (JsonNode d : error.path("details")) {
                String code = d.path("errorCode").asText("");
                if (code.matches("[A-Z_]{1,40}")) return code;
            }
            String status = error.path("status").asText("");
            return status.matches("[A-Z_]{1,40}") ? status : "";
        } catch (Exception e) {
            return "";
        }
    }
}
