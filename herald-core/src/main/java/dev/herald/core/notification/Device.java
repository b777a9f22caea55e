package dev.herald.core.notification;

import java.time.Instant;
import java.util.Objects;

/**
 * A push target of a user: an FCM or APNs token, or a Web Push subscription ({@code token} is then
 * the endpoint URL and {@code p256dh}/{@code auth} its keys, null otherwise).
 */
public record Device(String id, String userId, Platform platform, String token, String p256dh, String auth,
                     Instant createdAt) {
    public enum Platform {
        FCM("fcm"), APNS("apns"), WEBPUSH("webpush");

        private final String wire;

        Platform(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        /** The platform named {@code name}, or null when there is none such. */
        public static Platform fromWire(String name) {
            for (Platform p : values()) if (p.wire.equals(name)) return p;
            return null;
        }
    }

    public Device {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
