package dev.herald.channels.push;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/** PKCS#8 private keys in PEM ({@code -----BEGIN PRIVATE KEY-----}): a Google service account's, an APNs .p8. */
public final class Pem {
    private Pem() {}

    /**
     * The key in {@code pem}, of {@code algorithm} ({@code RSA}, {@code EC}); throws
     * IllegalArgumentException without quoting the text (it is a secret).
     */
    public static PrivateKey privateKey(String pem, String algorithm) {
        if (pem == null) throw new IllegalArgumentException("no private key");
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) throw new IllegalArgumentException("not a PKCS#8 PEM private key (BEGIN PRIVATE KEY)");
        String body = pem.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end).replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("not a readable " + algorithm + " private key");
        }
    }

    /** {@code key} as PEM, for tests and tools that write service accounts or .p8 files. */
    public static String encode(PrivateKey key) {
        String b64 = Base64.getMimeEncoder(64, new byte[] {(byte) 10}).encodeToString(key.getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + b64 + "\n-----END PRIVATE KEY-----\n";
    }
}
