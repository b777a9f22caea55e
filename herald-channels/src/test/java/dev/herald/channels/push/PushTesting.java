package dev.herald.channels.push;

import dev.herald.core.deliver.dispatch.OutboundMessage;
import dev.herald.core.notification.Channel;
import dev.herald.core.notification.Contact;
import dev.herald.core.notification.Delivery;
import dev.herald.core.notification.Device;
import dev.herald.core.notification.Priority;
import java.time.Instant;

/** Messages and devices the push tests send. */
public final class PushTesting {
    public static final String JSON = "{\"id\":\"n1\",\"type\":\"comment\",\"title\":\"Hi\",\"message\":\"Ada replied\","
            + "\"priority\":\"high\",\"data\":{\"postId\":42}}";

    private PushTesting() {}

    public static OutboundMessage message(String deliveryId, int attempt, String userId) {
        var target = new Delivery.Target("n1", userId, "comment", Channel.PUSH, Priority.HIGH, Delivery.Kind.STANDARD, null);
        return new OutboundMessage(deliveryId, target, attempt, Contact.none(userId),
                new OutboundMessage.Content("New reply", "Ada replied to your post", null, JSON));
    }

    public static PushMessage push(String deliveryId) {
        return PushMessage.of(message(deliveryId, 1, "u1"));
    }

    /** A fresh P-256 key pair: an APNs team key, a VAPID identity. */
    public static java.security.KeyPair p256KeyPair() {
        try {
            var g = java.security.KeyPairGenerator.getInstance("EC");
            g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Device device(String id, String userId, Device.Platform platform, String token) {
        return new Device(id, userId, platform, token, null, null, Instant.parse("2026-03-10T08:00:00Z"));
    }
}
