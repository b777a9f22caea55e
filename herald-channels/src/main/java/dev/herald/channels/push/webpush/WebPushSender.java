package dev.herald.channels.push.webpush;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.herald.channels.push.DeviceResult;
import dev.herald.channels.push.DeviceSender;
import dev.herald.channels.push.PushHttp;
import dev.herald.channels.push.PushMessage;
import dev.herald.core.notification.Device;
import dev.herald.core.notification.Priority;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/**
 * Web Push (RFC 8030) to a browser's subscription: the payload {@code {title, body, data}} encrypted
 * for the subscription ({@link Aes128Gcm}, RFC 8291), {@code Authorization: vapid t=<JWT>, k=<key>}
 * (RFC 8292: ES256, {@code aud} the endpoint's origin, {@code exp} 12 h, {@code sub} the subject),
 * {@code TTL}, and {@code Urgency} (high for urgent and high, normal, low). A payload too large for
 * a push service has its {@code data} cut down ({@link PushMessage#compactData()}) first, then fails.
 *
 * <p>Answers: 201 (or any 2xx) sent, the {@code Location} being the provider id; 404 and 410 gone
 * (the subscription expired or was revoked: the device is removed); 429 and 5xx retry with
 * {@code Retry-After}; other answers failed.
 */
public final class WebPushSender implements DeviceSender {
    static final Duration JWT_LIFETIME = Duration.ofHours(12);

    private final WebPushConfig config;
    private final PushHttp http;
    private final Aes128Gcm cipher = new Aes128Gcm();

    public WebPushSender(WebPushConfig config, PushHttp http) {
        this.config = config;
        this.http = http;
    }

    @Override
    public Device.Platform platform() {
        return Device.Platform.WEBPUSH;
    }

    @Override
    public String provider() {
        return "webpush";
    }

    @Override
    public DeviceResult send(Device device, PushMessage message) {
        URI endpoint;
        try {
            endpoint = URI.create(device.token());
        } catch (IllegalArgumentException e) {
            return new DeviceResult.Gone("endpoint is not a URL");
        }
        if (endpoint.getHost() == null || device.p256dh() == null || device.auth() == null) return new DeviceResult.Gone("incomplete subscription");
        byte[] body;
        try {
            body = encrypt(message, device);
        } catch (IllegalArgumentException e) {
            return new DeviceResult.Failed(e.getMessage());
        } catch (GeneralSecurityException e) {
            return new DeviceResult.Failed("encryption failed: " + e.getClass().getSimpleName());
        }
        PushHttp.Outcome outcome = http.exchange(PushHttp.request(endpoint)
                .header("Authorization", "vapid t=" + vapid(endpoint, http.clock().instant()) + ", k=" + config.publicKeyText())
                .header("TTL", Long.toString(config.ttl().toSeconds()))
                .header("Urgency", urgency(message.priority()))
                .header("Content-Encoding", "aes128gcm")
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        if (outcome.answer() == null) return new DeviceResult.Retry(outcome.failure(), null);
        PushHttp.Answer a = outcome.answer();
        int status = a.status();
        String reason = "http " + status;
        if (status >= 200 && status < 300) return new DeviceResult.Sent(a.header("Location"));
        if (status == 404 || status == 410) return new DeviceResult.Gone(reason);
        if (PushHttp.retryable(status)) return http.retry(a, reason);
        return new DeviceResult.Failed(reason);
    }

    private byte[] encrypt(PushMessage message, Device device) throws GeneralSecurityException {
        byte[] ua;
        byte[] auth;
        try {
            ua = WebPushConfig.base64Url(device.p256dh());
            auth = WebPushConfig.base64Url(device.auth());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("subscription keys are not base64url");
        }
        ObjectNode payload = PushMessage.json().createObjectNode().put("title", message.title()).put("body", message.body());
        payload.set("data", message.data());
        byte[] bytes = payload.toString().getBytes(StandardCharsets.UTF_8);
        if (bytes.length > Aes128Gcm.MAX_PAYLOAD) {
            payload.set("data", message.compactData());
            bytes = payload.toString().getBytes(StandardCharsets.UTF_8);
            if (bytes.length > Aes128Gcm.MAX_PAYLOAD) throw new IllegalArgumentException("payload too large for web push (" + bytes.length + " bytes)");
        }
        return cipher.encrypt(bytes, ua, auth);
    }

    String vapid(URI endpoint, Instant now) {
        String origin = endpoint.getScheme() + "://" + endpoint.getRawAuthority();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT).build(),
                new JWTClaimsSet.Builder().audience(origin).expirationTime(Date.from(now.plus(JWT_LIFETIME)))
                        .subject(config.subject()).build());
        try {
            jwt.sign(new ECDSASigner(config.privateKey()));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign the VAPID token: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    static String urgency(Priority priority) {
        return switch (priority) {
            case URGENT, HIGH -> "high";
            case MEDIUM -> "normal";
            case LOW -> "low";
        };
    }

    /** base64url without padding, as VAPID and subscriptions write keys. */
    static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
