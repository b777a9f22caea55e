package dev.herald.store.crypto;

import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for the sensitive columns (seed 001: notification title, message and data; contact
 * email, phone and webhook URL; the outbox's rendered payload). A sealed value reads
 * {@code hx1:<keyId>:<base64url(nonce ‖ ciphertext ‖ tag)>}: a random 96-bit nonce per value, the
 * 128-bit tag, and the column's name as additional authenticated data, so a value moved to another
 * column fails to open. New values are sealed with the current key; values sealed with an old key
 * (kept for reading, rotation) and plain values written before encryption was turned on still open.
 *
 * <p>{@link #none()} seals nothing. Threading: thread-safe (a {@link Cipher} per call).
 */
public final class FieldCipher {
    static final String PREFIX = "hx1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final FieldCipher NONE = new FieldCipher(null, Map.of());

    private final String currentId;
    private final Map<String, SecretKeySpec> keys;
    private final SecureRandom random = new SecureRandom();

    private FieldCipher(String currentId, Map<String, SecretKeySpec> keys) {
        this.currentId = currentId;
        this.keys = keys;
    }

    public static FieldCipher none() {
        return NONE;
    }

    /**
     * @param current the key new values are sealed with: id and 32 raw bytes
     * @param old keys kept to open older values, by id (may be empty)
     */
    public static FieldCipher of(String currentId, byte[] current, Map<String, byte[]> old) {
        Map<String, SecretKeySpec> all = new LinkedHashMap<>();
        all.put(checkId(currentId), key(currentId, current));
        old.forEach((id, bytes) -> {
            if (all.putIfAbsent(checkId(id), key(id, bytes)) != null) {
                throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "encryption key id '" + id + "' is given twice");
            }
        });
        return new FieldCipher(currentId, Map.copyOf(all));
    }

    private static String checkId(String id) {
        if (id == null || !id.matches("[A-Za-z0-9_-]{1,32}")) {
            throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "an encryption key id is 1-32 letters, digits, '-' or '_'");
        }
        return id;
    }

    private static SecretKeySpec key(String id, byte[] bytes) {
        if (bytes == null || bytes.length != 32) {
            throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "encryption key '" + id + "' must be 32 bytes (256 bits), base64");
        }
        return new SecretKeySpec(bytes, "AES");
    }

    public boolean enabled() {
        return currentId != null;
    }

    /** The id new values are sealed with, or null when encryption is off. */
    public String currentKeyId() {
        return currentId;
    }

    public Set<String> keyIds() {
        return keys.keySet();
    }

    /** Seals {@code plain} for {@code column}; null stays null, and nothing changes when encryption is off. */
    public String seal(String plain, String column) {
        if (plain == null || currentId == null) return plain;
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, keys.get(currentId), new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(column.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return PREFIX + currentId + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /**
     * Opens a value read from {@code column}: a sealed value with the key its id names, a plain
     * value as it is. A sealed value whose key is missing, or that fails its tag (wrong key,
     * tampered, moved from another column), is an error, never returned as text.
     */
    public String open(String stored, String column) {
        if (stored == null || !stored.startsWith(PREFIX)) return stored;
        int colon = stored.indexOf(':', PREFIX.length());
        if (colon < 0) throw corrupt(column);
        String id = stored.substring(PREFIX.length(), colon);
        SecretKeySpec key = keys.get(id);
        if (key == null) {
            throw new HeraldException(ErrorCode.UNAVAILABLE, "a value in " + column + " is sealed with encryption key '" + id
                    + "', which is neither HERALD_ENCRYPTION_KEY nor in HERALD_ENCRYPTION_OLD_KEYS");
        }
        try {
            byte[] in = Base64.getUrlDecoder().decode(stored.substring(colon + 1));
            if (in.length < NONCE_BYTES + TAG_BITS / 8) throw corrupt(column);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            c.updateAAD(column.getBytes(StandardCharsets.UTF_8));
            return new String(c.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw corrupt(column);
        }
    }

    /** For a JSON column (PostgreSQL's {@code json} type): the sealed value as a JSON string. */
    public String sealJson(String json, String column) {
        if (json == null || currentId == null) return json;
        return "\"" + seal(json, column) + "\"";
    }

    public String openJson(String stored, String column) {
        if (stored != null && stored.startsWith("\"" + PREFIX) && stored.endsWith("\"")) {
            return open(stored.substring(1, stored.length() - 1), column);
        }
        return stored;
    }

    private static HeraldException corrupt(String column) {
        return new HeraldException(ErrorCode.UNAVAILABLE, "a value in " + column + " fails its encryption check (wrong key or altered)");
    }

    @Override
    public String toString() {
        return "FieldCipher[" + (currentId == null ? "off" : "current=" + currentId + ", keys=" + keys.keySet()) + "]";
    }
}
