package dev.herald.channels.email;

import dev.herald.channels.webhook.InvalidSetting;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * Reads {@code DKIM_PRIVATE_KEY_FILE}: an RSA key as PEM ({@code BEGIN PRIVATE KEY}, as
 * {@code openssl genpkey} writes, or {@code BEGIN RSA PRIVATE KEY}, as {@code openssl genrsa} did)
 * or as PKCS#8 DER. A key that cannot be read stops the start, naming the variable.
 */
final class DkimKeys {
    private static final String VARIABLE = "DKIM_PRIVATE_KEY_FILE";
    // AlgorithmIdentifier rsaEncryption, NULL: what wraps a PKCS#1 key into PKCS#8.
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
            (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private DkimKeys() {}

    static RSAPrivateKey read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidSetting(VARIABLE, "cannot be read (" + file + "): " + e.getClass().getSimpleName());
        }
        String text = new String(bytes, StandardCharsets.US_ASCII);
        byte[] der = bytes;
        boolean pkcs1 = false;
        if (text.contains("-----BEGIN")) {
            pkcs1 = text.contains("BEGIN RSA PRIVATE KEY");
            if (!pkcs1 && !text.contains("BEGIN PRIVATE KEY")) throw new InvalidSetting(VARIABLE, "must hold an unencrypted RSA private key");
            String body = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            try {
                der = Base64.getDecoder().decode(body);
            } catch (IllegalArgumentException e) {
                throw new InvalidSetting(VARIABLE, "holds a PEM block that is not base64");
            }
        }
        try {
            var key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs1 ? wrapPkcs1(der) : der));
            return (RSAPrivateKey) key;
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new InvalidSetting(VARIABLE, "must hold an unencrypted RSA private key");
        }
    }

    /** PKCS#8 PrivateKeyInfo {version 0, rsaEncryption, OCTET STRING pkcs1}. */
    private static byte[] wrapPkcs1(byte[] pkcs1) {
        byte[] octets = tlv(0x04, pkcs1);
        byte[] version = {0x02, 0x01, 0x00};
        byte[] inner = new byte[version.length + RSA_ALGORITHM.length + octets.length];
        System.arraycopy(version, 0, inner, 0, version.length);
        System.arraycopy(RSA_ALGORITHM, 0, inner, version.length, RSA_ALGORITHM.length);
        System.arraycopy(octets, 0, inner, version.length + RSA_ALGORITHM.length, octets.length);
        return tlv(0x30, inner);
    }

    private static byte[] tlv(int tag, byte[] value) {
        int n = value.length;
        byte[] length = n < 0x80 ? new byte[] {(byte) n}
                : n < 0x100 ? new byte[] {(byte) 0x81, (byte) n}
                : n < 0x10000 ? new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n}
                : new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
        byte[] out = new byte[1 + length.length + n];
        out[0] = (byte) tag;
        System.arraycopy(length, 0, out, 1, length.length);
        System.arraycopy(value, 0, out, 1 + length.length, n);
        return out;
    }
}
