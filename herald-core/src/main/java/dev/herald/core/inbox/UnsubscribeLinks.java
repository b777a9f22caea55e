package dev.herald.core.inbox;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The one-click unsubscribe links of email (RFC 8058): a link names a user and a notification type
 * and carries an HMAC-SHA256 over both, so following it needs no login and cannot be forged for
 * another user or type. Links do not expire: a mail client may offer the button months later.
 * The email sender makes them; the REST route {@link #verify verifies} them.
 *
 * <p>Token: {@code base64url(user) "." base64url(type) "." base64url(mac)}. Thread-safe.
 */
public final class UnsubscribeLinks {
    /** The route, under the public base URL, that a token is appended to. */
    public static final String PATH = "/api/v1/unsubscribe/";

    /** Who is unsubscribed from what (by email). */
    public record Target(String userId, String type) {}

    private static final Base64.Encoder ENCODE = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODE = Base64.getUrlDecoder();

    private final String base;
    private final SecretKeySpec key;

    /**
     * @param publicBase where users' mail clients reach Herald ({@code https://notify.example.com})
     * @param secret at least 32 bytes; every node of a cluster must use the same
     */
    public UnsubscribeLinks(URI publicBase, byte[] secret) {
        Objects.requireNonNull(publicBase, "publicBase");
        if (secret == null || secret.length < 32) throw new IllegalArgumentException("the unsubscribe secret must be at least 32 bytes");
        String b = publicBase.toString();
        this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
    }

    public URI link(String userId, String type) {
        return URI.create(base + PATH + token(userId, type));
    }

    public String token(String userId, String type) {
        return encode(userId) + "." + encode(type) + "." + ENCODE.encodeToString(mac(userId, type));
    }

    /** The target of a well-formed token whose MAC matches; empty for anything else. */
    public Optional<Target> verify(String token) {
        if (token == null || token.length() > 2048) return Optional.empty();
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) return Optional.empty();
        try {
            String user = new String(DECODE.decode(parts[0]), StandardCharsets.UTF_8);
            String type = new String(DECODE.decode(parts[1]), StandardCharsets.UTF_8);
            byte[] given = DECODE.decode(parts[2]);
            if (user.isEmpty() || type.isEmpty()) return Optional.empty();
            return MessageDigest.isEqual(given, mac(user, type)) ? Optional.of(new Target(user, type)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String encode(String value) {
        return ENCODE.encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private byte[] mac(String userId, String type) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            // The NUL separators keep (ab, c) and (a, bc) apart.
            return mac.doFinal(("herald-unsubscribe\u0000" + userId + "\u0000" + type).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
