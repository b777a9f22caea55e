package dev.herald.channels.push.webpush;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;

/**
 * P-256 keys in the forms Web Push uses: a public key as the 65-byte uncompressed point
 * ({@code 0x04 || X || Y}, what browsers give as {@code p256dh} and VAPID as {@code k}) and a private
 * key as its 32-byte scalar (what VAPID key generators print). On the JDK's own EC provider.
 */
public final class P256 {
    public static final ECParameterSpec PARAMS;

    static {
        try {
            AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
            p.init(new ECGenParameterSpec("secp256r1"));
            PARAMS = p.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private P256() {}

    public static ECPublicKey publicKey(byte[] point) {
        if (point.length != 65 || point[0] != 4) throw new IllegalArgumentException("not an uncompressed P-256 point (65 bytes, 0x04 first)");
        ECPoint w = new ECPoint(new BigInteger(1, Arrays.copyOfRange(point, 1, 33)), new BigInteger(1, Arrays.copyOfRange(point, 33, 65)));
        try {
            return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, PARAMS));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a point on P-256");
        }
    }

    public static ECPrivateKey privateKey(byte[] scalar) {
        if (scalar.length != 32) throw new IllegalArgumentException("not a P-256 private key (32 bytes)");
        try {
            return (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(new BigInteger(1, scalar), PARAMS));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a P-256 private key");
        }
    }

    public static byte[] encode(ECPublicKey key) {
        byte[] out = new byte[65];
        out[0] = 4;
        unsigned(key.getW().getAffineX(), out, 1);
        unsigned(key.getW().getAffineY(), out, 33);
        return out;
    }

    public static byte[] encode(ECPrivateKey key) {
        byte[] out = new byte[32];
        unsigned(key.getS(), out, 0);
        return out;
    }

    private static void unsigned(BigInteger v, byte[] out, int at) {
        byte[] b = v.toByteArray();
        int skip = b.length > 32 ? b.length - 32 : 0;
        System.arraycopy(b, skip, out, at + 32 - (b.length - skip), b.length - skip);
    }
}
