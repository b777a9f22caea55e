package dev.herald.api.auth;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Reads the header of every compact JWS and verifies HS256 tokens itself, without nimbus: on a
 * freshly started node every client reconnects at once, and nimbus' path (its header parsed twice
 * by a second JSON library, a {@code Mac.getInstance} and a verifier per token) was 13 % of the
 * CPU of such a storm, while Jackson is compiled anyway by the rest of the connection path.
 *
 * <p>What it guarantees, for any token: exactly three dot-separated parts; each part strict
 * base64url (no padding, no character outside the alphabet, unused bits zero, so one signature has
 * one spelling); a header that is one JSON object without duplicate names. Anything else is
 * refused as malformed whatever the alg. Then, for {@code alg} exactly {@code "HS256"}: no
 * {@code crit} (Herald understands no critical parameter), {@code typ} absent or {@code JWT} /
 * {@code at+jwt} in any case (what nimbus' type verifier accepted), {@code kid} a string if
 * present; the HMAC-SHA256 of {@code header.payload} compared in constant time; and only then the
 * claims, one JSON object without duplicate names, numbers read as nimbus reads them (a long when
 * the integer fits, else a double; infinity refused). A header with any further parameter
 * ({@code cty}, {@code jwk}, {@code b64}, a private one…) and every other alg are left to nimbus,
 * which decides them as it always did: {@link #claims} returns null for those.
 *
 * <p>Threading: thread-safe and lock-free. The key is set once into a prototype {@link Mac} that each
 * call clones (a clone copies the keyed state; the prototype is never updated), so virtual threads
 * share nothing mutable and no ThreadLocal is needed.
 */
final class Hs256Verifier {
    static final String MALFORMED = "token is not a well-formed JWT";
    static final String BAD_SIGNATURE = "token rejected: Signed JWT rejected: Invalid signature";
    static final String NO_KEY = "token rejected: Signed JWT rejected: Another algorithm expected, or no matching key(s) found";
    static final String BAD_CLAIMS = "token rejected: Payload of JWS object is not a valid JSON object";
    private static final Set<String> PLAIN_HEADER = Set.of("alg", "typ", "kid");
    private static final String HMAC = "HmacSHA256";
    /** Gson's nesting limit, which nimbus applied; no real claim set comes near it. */
    private static final int MAX_DEPTH = 255;
    private static final JsonFactory JSON = Json.factory().rebuild()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .build();
    private static final byte[] SEXTETS = new byte[256];

    static {
        Arrays.fill(SEXTETS, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < alphabet.length(); i++) SEXTETS[alphabet.charAt(i)] = (byte) i;
    }

    /** Null when no secret is configured: HS256 tokens are then refused. */
    private final Mac prototype;
    private final SecretKeySpec key;
    private final boolean cloneable;

    Hs256Verifier(byte[] secret) {
        key = secret == null ? null : new SecretKeySpec(secret, HMAC);
        prototype = key == null ? null : newMac(key);
        cloneable = prototype != null && canClone(prototype);
    }

    /**
     * The claims of an HS256 token, as a map of JSON values (String, Long, Double, Boolean, List,
     * Map, null), once its signature is verified; null when the token is for nimbus to decide.
     *
     * @throws HeraldException {@code INVALID_TOKEN}, never naming the token
     */
    Map<String, Object> claims(String token) {
        byte[] ascii = token.getBytes(StandardCharsets.ISO_8859_1); // any other char then fails the alphabet
        int dot1 = token.indexOf('.');
        int dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
        if (dot2 < 0 || token.indexOf('.', dot2 + 1) >= 0) throw invalid(MALFORMED);
        if (!(json(decode(ascii, 0, dot1), MALFORMED) instanceof Map<?, ?> header)) throw invalid(MALFORMED);
        if (!"HS256".equals(header.get("alg"))) return null;
        if (prototype == null) throw invalid(NO_KEY);
        if (header.containsKey("crit")) throw invalid("token rejected: critical header parameters are not supported");
        if (!PLAIN_HEADER.containsAll(header.keySet())) return null;
        Object typ = header.get("typ");
        Object kid = header.get("kid");
        if (!(typ == null || typ instanceof String) || !(kid == null || kid instanceof String)) throw invalid(MALFORMED);
        if (typ != null && !"JWT".equalsIgnoreCase((String) typ) && !"at+jwt".equalsIgnoreCase((String) typ)) {
            throw invalid("token rejected: JOSE header typ (type) " + typ + " not allowed");
        }
        byte[] payload = decode(ascii, dot1 + 1, dot2);
        if (dot2 + 1 == ascii.length) throw invalid(MALFORMED);
        byte[] signature = decode(ascii, dot2 + 1, ascii.length);
        Mac mac = mac();
        mac.update(ascii, 0, dot2);
        if (!MessageDigest.isEqual(mac.doFinal(), signature)) throw invalid(BAD_SIGNATURE);
        // Only a verified payload is parsed: a forger's JSON never reaches the parser.
        if (!(json(payload, BAD_CLAIMS) instanceof Map<?, ?> claims)) throw invalid(BAD_CLAIMS);
        @SuppressWarnings("unchecked") Map<String, Object> typed = (Map<String, Object>) claims;
        return typed;
    }

    private Mac mac() {
        if (!cloneable) return newMac(key);
        try {
            return (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("checked at construction", e);
        }
    }

    private static Mac newMac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot compute " + HMAC, e);
        }
    }

    private static boolean canClone(Mac mac) {
        try {
            mac.clone();
            return true;
        } catch (CloneNotSupportedException e) {
            return false;
        }
    }

    /** Strict base64url (RFC 4648 §5) of {@code in[from, to)}: no padding, unused bits zero. */
    static byte[] decode(byte[] in, int from, int to) {
        int n = to - from;
        if (n % 4 == 1) throw invalid(MALFORMED);
        byte[] out = new byte[n / 4 * 3 + (n % 4 == 0 ? 0 : n % 4 - 1)];
        int i = from;
        int o = 0;
        for (; to - i >= 4; i += 4) {
            int v = sextet(in[i]) << 18 | sextet(in[i + 1]) << 12 | sextet(in[i + 2]) << 6 | sextet(in[i + 3]);
            out[o++] = (byte) (v >> 16);
            out[o++] = (byte) (v >> 8);
            out[o++] = (byte) v;
        }
        if (to - i == 2) {
            int v = sextet(in[i]) << 6 | sextet(in[i + 1]);
            if ((v & 0xF) != 0) throw invalid(MALFORMED);
            out[o] = (byte) (v >> 4);
        } else if (to - i == 3) {
            int v = sextet(in[i]) << 12 | sextet(in[i + 1]) << 6 | sextet(in[i + 2]);
            if ((v & 0x3) != 0) throw invalid(MALFORMED);
            out[o++] = (byte) (v >> 10);
            out[o] = (byte) (v >> 2);
        }
        return out;
    }

    private static int sextet(byte b) {
        int v = SEXTETS[b & 0xFF];
        if (v < 0) throw invalid(MALFORMED);
        return v;
    }

    /** One JSON value, nothing after it; text decoded as UTF-8 with replacement, as nimbus did. */
    private static Object json(byte[] utf8, String refusal) {
        try (JsonParser parser = JSON.createParser(new String(utf8, StandardCharsets.UTF_8))) {
            Object value = value(parser, parser.nextToken(), refusal);
            if (parser.nextToken() != null) throw invalid(refusal);
            return value;
        } catch (IOException e) {
            throw invalid(refusal);
        }
    }

    private static Object value(JsonParser p, JsonToken token, String refusal) throws IOException {
        if (token == null) throw invalid(refusal);
        switch (token) {
            case START_OBJECT -> {
                Map<String, Object> object = new LinkedHashMap<>();
                for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                    object.put(name, value(p, p.nextToken(), refusal));
                }
                return object;
            }
            case START_ARRAY -> {
                List<Object> array = new ArrayList<>();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) array.add(value(p, t, refusal));
                return array;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT -> {
                // Not a ?: expression, which would widen the long to a double.
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) return finite(p.getDoubleValue(), refusal);
                return p.getLongValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return finite(p.getDoubleValue(), refusal);
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw invalid(refusal);
        }
    }

    private static Double finite(double d, String refusal) {
        if (Double.isInfinite(d)) throw invalid(refusal);
        return d;
    }

    private static HeraldException invalid(String message) {
        return new HeraldException(ErrorCode.INVALID_TOKEN, message);
    }
}
