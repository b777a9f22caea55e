package dev.herald.channels.testing;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A Web Push service (RFC 8030) on a loopback port playing the browser's side too: {@link #subscribe}
 * makes a subscription as a browser would (a P-256 key pair and a 16-byte auth secret), and every
 * push to it is checked the way a push service and the browser would: {@code Authorization: vapid
 * t=…, k=…} with an ES256 JWT that verifies under {@code k}, {@code k} the operator's VAPID key,
 * {@code aud} this origin, {@code exp} in the future and at most 24 h away, a {@code sub}
 * (401/403 otherwise); {@code TTL} present, {@code Content-Encoding: aes128gcm}; then the body is
 * DECRYPTED with the subscription's private key and auth secret (RFC 8291, written here from the RFC
 * apart from the sender's code; 400 when it does not decrypt). Accepted pushes are answered from the
 * script kept per subscription, default 201 with a {@code Location}. Thread-safe.
 */
public final class PushService implements AutoCloseable {
    /** A browser's subscription: what {@code PushSubscription.toJSON()} gives, plus its secrets. */
    public record Subscription(String id, String endpoint, String p256dh, String auth, KeyPair keys, byte[] authSecret) {}

    /** A push that verified and decrypted. */
    public record Received(String subscriptionId, String plaintext, String ttl, String urgency, String vapidSubject) {}

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final byte[] vapidKey;
    private final Clock clock;
    private final Map<String, Subscription> subscriptions = new HashMap<>();
    private final Map<String, List<PushAnswer>> scripts = new HashMap<>();
    private final Map<String, Integer> counts = new HashMap<>();
    private final List<Received> received = new ArrayList<>();
    private int refused;

    private PushService(byte[] vapidKey, Clock clock) throws IOException {
        this.vapidKey = vapidKey.clone();
        this.clock = clock;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/push/", this::push);
        server.start();
    }

    /** A push service accepting only VAPID tokens under {@code vapidPublicKey} (the 65-byte point). */
    public static PushService start(byte[] vapidPublicKey, Clock clock) {
        try {
            return new PushService(vapidPublicKey, clock);
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind a loopback port", e);
        }
    }

    public String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public synchronized Subscription subscribe() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = g.generateKeyPair();
            byte[] auth = new byte[16];
            new java.security.SecureRandom().nextBytes(auth);
            String id = UUID.randomUUID().toString();
            Subscription s = new Subscription(id, origin() + "/push/" + id, b64(point((ECPublicKey) keys.getPublic())), b64(auth), keys, auth);
            subscriptions.put(id, s);
            return s;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public synchronized PushService respond(Subscription s, PushAnswer... answers) {
        scripts.put(s.id(), List.of(answers));
        return this;
    }

    public synchronized List<Received> received() {
        return List.copyOf(received);
    }

    /** Pushes refused for their VAPID token, headers or encryption. */
    public synchronized int refused() {
        return refused;
    }

    private void push(HttpExchange ex) throws IOException {
        try (ex; InputStream in = ex.getRequestBody()) {
            byte[] body = in.readAllBytes();
            String id = ex.getRequestURI().getPath().substring("/push/".length());
            Subscription s;
            synchronized (this) {
                s = subscriptions.get(id);
            }
            if (s == null) {
                FcmServer.reply(ex, 404, "", Map.of());
                return;
            }
            var h = ex.getRequestHeaders();
            String subject = vapidSubject(h.getFirst("Authorization"));
            if (subject == null) {
                refuse(ex, 401);
                return;
            }
            if (h.getFirst("TTL") == null || !h.getFirst("TTL").matches("\\d+") || !"aes128gcm".equals(h.getFirst("Content-Encoding"))) {
                refuse(ex, 400);
                return;
            }
            String plaintext = decrypt(body, s);
            if (plaintext == null) {
                refuse(ex, 400);
                return;
            }
            PushAnswer answer;
            synchronized (this) {
                int n = counts.merge(id, 1, Integer::sum);
                List<PushAnswer> script = scripts.getOrDefault(id, List.of(PushAnswer.ok()));
                answer = script.get(Math.min(n, script.size()) - 1);
                if (answer.success()) received.add(new Received(id, plaintext, h.getFirst("TTL"), h.getFirst("Urgency"), subject));
            }
            if (answer.success()) FcmServer.reply(ex, 201, "", Map.of("Location", origin() + "/message/" + UUID.randomUUID()));
            else FcmServer.reply(ex, answer.status(), "", answer.headers());
        }
    }

    private void refuse(HttpExchange ex, int status) throws IOException {
        synchronized (this) {
            refused++;
        }
        FcmServer.reply(ex, status, "", Map.of());
    }

    /** The JWT's {@code sub} when the header is a valid VAPID authorization for this origin, else null. */
    private String vapidSubject(String header) {
        if (header == null || !header.startsWith("vapid ")) return null;
        String t = null;
        String k = null;
        for (String part : header.substring(6).split(",")) {
            String p = part.strip();
            if (p.startsWith("t=")) t = p.substring(2);
            if (p.startsWith("k=")) k = p.substring(2);
        }
        if (t == null || k == null) return null;
        try {
            byte[] key = Base64.getUrlDecoder().decode(k);
            if (!Arrays.equals(key, vapidKey)) return null;
            SignedJWT jwt = SignedJWT.parse(t);
            if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(new ECDSAVerifier(publicKey(key)))) return null;
            JWTClaimsSet c = jwt.getJWTClaimsSet();
            Instant now = clock.instant();
            if (!c.getAudience().equals(List.of(origin())) || c.getExpirationTime() == null) return null;
            Instant exp = c.getExpirationTime().toInstant();
            if (!exp.isAfter(now) || exp.isAfter(now.plus(Duration.ofHours(24)))) return null;
            String sub = c.getSubject();
            return sub != null && (sub.startsWith("mailto:") || sub.startsWith("https:")) ? sub : null;
        } catch (Exception e) {
            return null;
        }
    }

    /** RFC 8291 + RFC 8188 decryption of a single-record aes128gcm body; null when it does not decrypt. */
    static String decrypt(byte[] body, Subscription s) {
        try {
            ByteBuffer b = ByteBuffer.wrap(body);
            byte[] salt = new byte[16];
            b.get(salt);
            int rs = b.getInt();
            byte[] asPublic = new byte[b.get() & 0xff];
            b.get(asPublic);
            byte[] record = new byte[b.remaining()];
            b.get(record);
            if (rs < 18 || record.length > rs) return null;
            byte[] uaPublic = point((ECPublicKey) s.keys().getPublic());
            KeyAgreement ka = KeyAgreement.getInstance("ECDH");
            ka.init(s.keys().getPrivate());
            ka.doPhase(publicKey(asPublic), true);
            byte[] ecdh = ka.generateSecret();
            byte[] prkKey = hmac(s.authSecret(), ecdh);
            byte[] info = join("WebPush: info".getBytes(StandardCharsets.US_ASCII), new byte[] {0}, uaPublic, asPublic, new byte[] {1});
            byte[] ikm = hmac(prkKey, info);
            byte[] prk = hmac(salt, ikm);
            byte[] cek = Arrays.copyOf(hmac(prk, join("Content-Encoding: aes128gcm".getBytes(StandardCharsets.US_ASCII), new byte[] {0, 1})), 16);
            byte[] nonce = Arrays.copyOf(hmac(prk, join("Content-Encoding: nonce".getBytes(StandardCharsets.US_ASCII), new byte[] {0, 1})), 12);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, nonce));
            byte[] padded = c.doFinal(record);
            int end = padded.length - 1;
            while (end >= 0 && padded[end] == 0) end--;
            if (end < 0 || padded[end] != 2) return null;   // the last record's delimiter
            return new String(padded, 0, end, StandardCharsets.UTF_8);
        } catch (Exception e) {
            return null;
        }
    }

    private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
        Mac m = Mac.getInstance("HmacSHA256");
        m.init(new SecretKeySpec(key, "HmacSHA256"));
        return m.doFinal(data);
    }

    private static byte[] join(byte[]... parts) {
        ByteBuffer b = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] p : parts) b.put(p);
        return b.array();
    }

    static ECPublicKey publicKey(byte[] point) throws GeneralSecurityException {
        if (point.length != 65 || point[0] != 4) throw new GeneralSecurityException("not an uncompressed point");
        var params = java.security.AlgorithmParameters.getInstance("EC");
        params.init(new ECGenParameterSpec("secp256r1"));
        var spec = new ECPublicKeySpec(new ECPoint(new BigInteger(1, Arrays.copyOfRange(point, 1, 33)),
                new BigInteger(1, Arrays.copyOfRange(point, 33, 65))), params.getParameterSpec(java.security.spec.ECParameterSpec.class));
        return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(spec);
    }

    static byte[] point(ECPublicKey key) {
        byte[] out = new byte[65];
        out[0] = 4;
        byte[] x = key.getW().getAffineX().toByteArray();
        byte[] y = key.getW().getAffineY().toByteArray();
        System.arraycopy(x, Math.max(0, x.length - 32), out, 1 + 32 - Math.min(32, x.length), Math.min(32, x.length));
        System.arraycopy(y, Math.max(0, y.length - 32), out, 33 + 32 - Math.min(32, y.length), Math.min(32, y.length));
        return out;
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
