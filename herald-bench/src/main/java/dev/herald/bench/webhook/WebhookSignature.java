package dev.herald.bench.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a Standard Webhooks signature the way a consumer does: HMAC-SHA256 under the base64 key of
 * {@code whsec_<base64>} over {@code <webhook-id>.<webhook-timestamp>.<body>}, compared in constant
 * time with each {@code v1,<base64>} entry of {@code webhook-signature}. Written from the spec, not
 * from Herald's signer, so a bug in one is not mirrored here. Thread-safe (a Mac per call).
 */
public final class WebhookSignature {
    private final SecretKeySpec key;

    private WebhookSignature(byte[] key) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
    }

    /** The verifier for {@code whsec_<base64>}. */
    public static WebhookSignature of(String secret) {
        if (secret == null || !secret.startsWith("whsec_")) {
            throw new IllegalArgumentException("the webhook secret must look like whsec_<base64> (WEBHOOK_SIGNING_SECRET)");
        }
        return new WebhookSignature(Base64.getDecoder().decode(secret.substring("whsec_".length()).strip()));
    }

    /** True when one of the {@code v1} signatures in {@code signatures} (space separated) signs this request. */
    public boolean verifies(String id, String timestamp, String signatures, byte[] body) {
        if (id == null || timestamp == null || signatures == null) return false;
        byte[] expected;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            expected = Base64.getEncoder().encode(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
        for (String s : signatures.split(" ")) {
            if (s.startsWith("v1,") && MessageDigest.isEqual(expected, s.substring(3).getBytes(StandardCharsets.US_ASCII))) {
                return true;
            }
        }
        return false;
    }
}
