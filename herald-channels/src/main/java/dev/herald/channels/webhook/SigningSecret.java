package dev.herald.channels.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Standard Webhooks symmetric signing key, {@code whsec_<base64>}: the key is the base64-decoded
 * part, 24 to 64 bytes as the spec asks. Signs {@code <id>.<timestamp>.<body>} with HMAC-SHA256 into a
 * {@code v1,<base64>} signature. {@link #toString()} never shows the key. Immutable and thread-safe.
 */
public final class SigningSecret {
    public static final String VARIABLE = "WEBHOOK_SIGNING_SECRET";
    static final String PREFIX = "whsec_";
    private static final int MIN_BYTES = 24;
    private static final int MAX_BYTES = 64;

    private final byte[] key;

    private SigningSecret(byte[] key) {
        this.key = key;
    }

    /** Reads {@code whsec_<base64>}, refusing anything else with an {@link InvalidSetting} that never echoes the value. */
    public static SigningSecret parse(String value) {
        if (value == null || !value.startsWith(PREFIX)) {
            throw new InvalidSetting(VARIABLE, "must look like whsec_<base64> (a Standard Webhooks secret)");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(value.substring(PREFIX.length()).strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidSetting(VARIABLE, "is not base64 after whsec_");
        }
        if (key.length < MIN_BYTES || key.length > MAX_BYTES) {
            throw new InvalidSetting(VARIABLE, "must hold " + MIN_BYTES + " to " + MAX_BYTES
                    + " random bytes (it holds " + key.length + "); e.g. whsec_$(openssl rand -base64 32)");
        }
        return new SigningSecret(key);
    }

    /**
     * The {@code webhook-signature} value for one request.
     *
     * @param id the {@code webhook-id}; the spec forbids a {@code .} in it, which would make the signed content ambiguous
     * @param timestamp the {@code webhook-timestamp}, epoch seconds
     * @param body the exact bytes sent
     */
    public String sign(String id, long timestamp, byte[] body) {
        if (id.indexOf('.') >= 0) throw new IllegalArgumentException("a webhook id must not contain '.'");
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SigningSecret other && Arrays.equals(key, other.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return PREFIX + "****";
    }
}
