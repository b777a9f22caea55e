package dev.herald.channels.push.webpush;

import dev.herald.channels.push.PushVariables;
import dev.herald.channels.webhook.InvalidSetting;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Web Push's VAPID identity (RFC 8292): {@code VAPID_PUBLIC_KEY} (base64url of the 65-byte P-256
 * point, the {@code applicationServerKey} web pages subscribe with), {@code VAPID_PRIVATE_KEY}
 * (base64url of its 32-byte scalar) and {@code VAPID_SUBJECT} ({@code mailto:} or {@code https:},
 * how the push service reaches the operator), all three or none. {@code toString()} hides the key.
 *
 * @param ttl how long a push service keeps a message for an offline browser ({@code TTL} header)
 */
public record WebPushConfig(ECPublicKey publicKey, ECPrivateKey privateKey, String subject, Duration ttl) {
    public static final Duration DEFAULT_TTL = Duration.ofDays(1);

    public WebPushConfig {
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(ttl, "ttl");
    }

    public static Optional<WebPushConfig> read(Function<String, String> env) {
        if (!PushVariables.allOrNone(env, "VAPID_PUBLIC_KEY", "VAPID_PRIVATE_KEY", "VAPID_SUBJECT")) return Optional.empty();
        ECPublicKey pub;
        ECPrivateKey priv;
        try {
            pub = P256.publicKey(base64Url(PushVariables.value(env, "VAPID_PUBLIC_KEY")));
        } catch (IllegalArgumentException e) {
            throw new InvalidSetting("VAPID_PUBLIC_KEY", "must be base64url of a 65-byte uncompressed P-256 point");
        }
        try {
            priv = P256.privateKey(base64Url(PushVariables.value(env, "VAPID_PRIVATE_KEY")));
        } catch (IllegalArgumentException e) {
            throw new InvalidSetting("VAPID_PRIVATE_KEY", "must be base64url of a 32-byte P-256 private key");
        }
        if (!pair(pub, priv)) throw new InvalidSetting("VAPID_PRIVATE_KEY", "is not the private key of VAPID_PUBLIC_KEY");
        String subject = PushVariables.value(env, "VAPID_SUBJECT");
        if (!subject.startsWith("mailto:") && !subject.startsWith("https://")) {
            throw new InvalidSetting("VAPID_SUBJECT", "must be a mailto: or https: URL (RFC 8292)");
        }
        return Optional.of(new WebPushConfig(pub, priv, subject, DEFAULT_TTL));
    }

    /** The public key as base64url, the {@code k} of the VAPID Authorization header. */
    public String publicKeyText() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(P256.encode(publicKey));
    }

    private static boolean pair(ECPublicKey pub, ECPrivateKey priv) {
        try {
            byte[] probe = "vapid key pair".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(priv);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance("SHA256withECDSA");
            v.initVerify(pub);
            v.update(probe);
            return v.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    static byte[] base64Url(String text) {
        return Base64.getUrlDecoder().decode(text.replace('+', '-').replace('/', '_').replace("=", ""));
    }

    @Override
    public String toString() {
        return "WebPushConfig[publicKey=" + publicKeyText() + ", subject=" + subject + ", ttl=" + ttl + "]";
    }
}
