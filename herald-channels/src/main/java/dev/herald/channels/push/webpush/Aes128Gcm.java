package dev.herald.channels.push.webpush;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Web Push message encryption (RFC 8291) in the aes128gcm content coding (RFC 8188), one record:
 * a fresh P-256 key pair and 16-byte salt per message; the ECDH secret with the browser's
 * {@code p256dh} and its {@code auth} secret give, through HKDF-SHA-256, the 16-byte content key
 * and 12-byte nonce; the body is {@code salt || rs || idlen || our public key || AES-128-GCM(payload || 0x02)}.
 * Thread-safe.
 */
final class Aes128Gcm {
    /** The record size written in the header; one record holds the whole payload. */
    static final int RECORD_SIZE = 4096;
    /** Push services take 4096-byte bodies: less the 86-byte header, the tag and the delimiter. */
    static final int MAX_PAYLOAD = 4096 - 86 - 16 - 1;

    private final SecureRandom random = new SecureRandom();

    byte[] encrypt(byte[] payload, byte[] uaPublic, byte[] authSecret) throws GeneralSecurityException {
        if (payload.length > MAX_PAYLOAD) throw new IllegalArgumentException("payload over " + MAX_PAYLOAD + " bytes");
        ECPublicKey ua = P256.publicKey(uaPublic);
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(P256.PARAMS, random);
        KeyPair as = g.generateKeyPair();
        byte[] asPublic = P256.encode((ECPublicKey) as.getPublic());
        KeyAgreement ka = KeyAgreement.getInstance("ECDH");
        ka.init(as.getPrivate());
        ka.doPhase(ua, true);
        byte[] ecdhSecret = ka.generateSecret();

        byte[] keyInfo = concat("WebPush: info\0".getBytes(StandardCharsets.US_ASCII), uaPublic, asPublic);
        byte[] ikm = expand(hmac(authSecret, ecdhSecret), keyInfo, 32);
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        byte[] prk = hmac(salt, ikm);
        byte[] cek = expand(prk, "Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII), 16);
        byte[] nonce = expand(prk, "Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII), 12);

        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, nonce));
        byte[] record = c.doFinal(concat(payload, new byte[] {2}));
        return ByteBuffer.allocate(16 + 4 + 1 + asPublic.length + record.length)
                .put(salt).putInt(RECORD_SIZE).put((byte) asPublic.length).put(asPublic).put(record).array();
    }

    static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    /** HKDF-Expand for one block (every length here is at most 32). */
    static byte[] expand(byte[] prk, byte[] info, int length) throws GeneralSecurityException {
        return Arrays.copyOf(hmac(prk, concat(info, new byte[] {1})), length);
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) b.put(p);
        return b.array();
    }
}
