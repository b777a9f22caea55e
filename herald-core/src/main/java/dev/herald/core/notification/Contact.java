package dev.herald.core.notification;

import java.time.ZoneId;
import java.util.Objects;

/**
 * Where and how to reach a user outside the app (DESIGN §5): every field but {@code userId} may be
 * null. {@code locale} is a BCP 47 tag, {@code timezone} an IANA zone (the default for quiet hours
 * and digests), {@code webhookUrl} the user's own endpoint for the webhook channel.
 */
public record Contact(String userId, String email, String phone, String locale, ZoneId timezone, String webhookUrl) {
    public Contact {
        Objects.requireNonNull(userId, "userId");
    }

    public static Contact none(String userId) {
        return new Contact(userId, null, null, null, null, null);
    }

    /** The address of {@code channel}, or null when the user gave none (push uses devices, not a field). */
    public String addressFor(Channel channel) {
        return switch (channel) {
            case EMAIL -> email;
            case SMS -> phone;
            case WEBHOOK -> webhookUrl;
            case IN_APP, PUSH -> userId;
        };
    }
}
