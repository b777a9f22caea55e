package dev.herald.channels.push.apns;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.channels.push.DeviceResult;
import dev.herald.channels.push.DeviceSender;
import dev.herald.channels.push.PushHttp;
import dev.herald.channels.push.PushMessage;
import dev.herald.core.notification.Device;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * APNs over HTTP/2 with token authentication: {@code POST {base}/3/device/{token}} with
 * {@code authorization: bearer <provider token>}, {@code apns-topic}, {@code apns-push-type: alert},
 * {@code apns-priority} (10 for urgent and high, 5 otherwise) and an {@code apns-id} derived from the
 * delivery and the device (the same on each retry, so Apple's id is stable); the body is
 * {@code {aps: {alert: {title, body}, sound: default}, data: <notification>}}.
 *
 * <p>Answers: 200 sent (the provider id is the {@code apns-id}); 410, {@code Unregistered} or
 * {@code BadDeviceToken} gone (the device is removed); 403 {@code ExpiredProviderToken} or
 * {@code InvalidProviderToken} retry with a new token; 429 and 5xx retry; other answers failed with
 * Apple's reason ({@code PayloadTooLarge}, {@code DeviceTokenNotForTopic}...).
 */
public final class ApnsSender implements DeviceSender {
    private final ApnsConfig config;
    private final PushHttp http;
    private final ApnsProviderToken tokens;
    private final String base;

    public ApnsSender(ApnsConfig config, PushHttp http) {
        this.config = config;
        this.http = http;
        this.tokens = new ApnsProviderToken(config, http.clock());
        this.base = config.baseUrl().toString().replaceAll("/+$", "");
    }

    @Override
    public Device.Platform platform() {
        return Device.Platform.APNS;
    }

    @Override
    public String provider() {
        return "apns";
    }

    @Override
    public DeviceResult send(Device device, PushMessage message) {
        // Registration only takes hex tokens; one that is not could not name a device, nor be put in a path.
        if (!device.token().matches("[0-9a-fA-F]{1,200}")) return new DeviceResult.Gone("BadDeviceToken (not hexadecimal)");
        String token = tokens.get();
        String apnsId = UUID.nameUUIDFromBytes((message.deliveryId() + "/" + device.id()).getBytes(StandardCharsets.UTF_8)).toString();
        PushHttp.Outcome outcome = http.exchange(PushHttp.request(URI.create(base + "/3/device/" + device.token()))
                .header("authorization", "bearer " + token)
                .header("apns-topic", config.topic())
                .header("apns-push-type", "alert")
                .header("apns-priority", message.high() ? "10" : "5")
                .header("apns-id", apnsId)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body(message))).build());
        if (outcome.answer() == null) return new DeviceResult.Retry(outcome.failure(), null);
        PushHttp.Answer a = outcome.answer();
        int status = a.status();
        if (status == 200) {
            String id = a.header("apns-id");
            return new DeviceResult.Sent(id == null ? apnsId : id);
        }
        String code = reason(a.body());
        String reason = "http " + status + (code.isEmpty() ? "" : " " + code);
        if (status == 410 || code.equals("Unregistered") || code.equals("BadDeviceToken")) return new DeviceResult.Gone(reason);
        if (status == 403 && (code.equals("ExpiredProviderToken") || code.equals("InvalidProviderToken"))) {
            tokens.refused(token);
            return new DeviceResult.Retry(reason, null);
        }
        if (PushHttp.retryable(status)) return http.retry(a, reason);
        return new DeviceResult.Failed(reason);
    }

    /** The payload, its data cut down when the whole would pass APNs' 4 KB (Apple would answer PayloadTooLarge). */
    static byte[] body(PushMessage message) {
        ObjectNode root = PushMessage.json().createObjectNode();
        ObjectNode aps = root.putObject("aps");
        aps.putObject("alert").put("title", message.title()).put("body", message.body());
        aps.put("sound", "default");
        root.set("data", message.data());
        byte[] full = root.toString().getBytes(StandardCharsets.UTF_8);
        if (full.length <= PushMessage.MAX_PAYLOAD_BYTES) return full;
        root.set("data", message.compactData());
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String reason(String body) {
        try {
            String r = PushMessage.json().readTree(body).path("reason").asText("");
            return r.matches("[A-Za-z]{1,40}") ? r : "";
        } catch (Exception e) {
            return "";
        }
    }
}
