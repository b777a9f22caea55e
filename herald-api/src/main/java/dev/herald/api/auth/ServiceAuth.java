package dev.herald.api.auth;

import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.auth.Authenticator;
import dev.herald.core.auth.Principal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Authenticates callers of the server APIs (gRPC, REST) from a bearer value: an API key from the
 * configured set, or a JWT. Keys are kept only as SHA-256 hashes and compared in constant time,
 * so neither a heap dump nor response timing gives them away. A configured key may be given in
 * clear or already hashed as {@code sha256:<64 hex>}, so operators need not keep clear keys.
 *
 * <p>Who is a service: an API key holder or a JWT with role {@code service}. Role {@code admin} is
 * not: an admin is a person, whose token lives in a browser, so it may call the admin APIs
 * ({@link #requireAdmin}) and act on its own inbox, but not send as a backend, erase users or read
 * other inboxes (docs/decisions.md).
 *
 * <p>Refusals: nothing given, an unknown key or a bad token → {@code UNAUTHENTICATED}; a valid user
 * (or admin) token where a service is required, a non-admin user on an admin API, or a user
 * touching another user's data → {@code FORBIDDEN}.
 *
 * <p>Threading: thread-safe; may block on a JWKS fetch.
 */
public final class ServiceAuth {
    public static final String SERVICE_ROLE = "service";
    public static final String ADMIN_ROLE = "admin";
    private static final String HASH_PREFIX = "sha256:";

    private final Authenticator tokens;
    private final List<byte[]> keyHashes;

    /**
     * @param tokens verifies JWT bearers
     * @param apiKeys accepted API keys, clear or {@code sha256:<hex>}; may be empty (JWT only)
     */
    public ServiceAuth(Authenticator tokens, Collection<String> apiKeys) {
        this.tokens = tokens;
        List<byte[]> hashes = new ArrayList<>();
        for (String key : apiKeys) {
            if (key == null || key.isBlank()) throw new IllegalArgumentException("HERALD_API_KEYS holds a blank key");
            String k = key.strip();
            if (k.toLowerCase(Locale.ROOT).startsWith(HASH_PREFIX)) {
                String hex = k.substring(HASH_PREFIX.length());
                if (hex.length() != 64) throw new IllegalArgumentException("HERALD_API_KEYS: a sha256: key needs 64 hex digits");
                try {
                    hashes.add(HexFormat.of().parseHex(hex));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("HERALD_API_KEYS: a sha256: key needs 64 hex digits");
                }
            } else {
                if (k.length() < 16) throw new IllegalArgumentException("HERALD_API_KEYS: keys must be at least 16 characters");
                hashes.add(sha256(k));
            }
        }
        this.keyHashes = List.copyOf(hashes);
    }

    /** The {@code sha256:<hex>} form of a key, for configuration files. */
    public static String hashedForm(String apiKey) {
        return HASH_PREFIX + HexFormat.of().formatHex(sha256(apiKey));
    }

    /**
     * The credential from an {@code Authorization} header ({@code Bearer …}) or, failing that, an
     * {@code x-api-key} header; null when neither holds one.
     */
    public static String credential(String authorizationHeader, String apiKeyHeader) {
        if (authorizationHeader != null) {
            String h = authorizationHeader.strip();
            if (h.regionMatches(true, 0, "Bearer ", 0, 7)) {
                String v = h.substring(7).strip();
                if (!v.isEmpty()) return v;
            }
        }
        if (apiKeyHeader != null && !apiKeyHeader.isBlank()) return apiKeyHeader.strip();
        return null;
    }

    /** Any authenticated caller: a service, or a user (for endpoints users may call on their own data). */
    public Caller authenticate(String credential) {
        if (credential == null || credential.isBlank()) {
            throw new HeraldException(ErrorCode.UNAUTHENTICATED, "missing credentials: send Authorization: Bearer <token or API key>");
        }
        if (!looksLikeJwt(credential)) {
            byte[] presented = sha256(credential);
            boolean match = false;
            // No early exit: the time taken does not depend on which key (if any) matched.
            for (byte[] hash : keyHashes) match |= MessageDigest.isEqual(hash, presented);
            if (!match) throw new HeraldException(ErrorCode.UNAUTHENTICATED, "unknown API key");
            return new Caller.Service("key:" + HexFormat.of().formatHex(presented, 0, 4), null);
        }
        Principal principal;
        try {
            principal = tokens.authenticate(credential);
        } catch (HeraldException e) {
            throw new HeraldException(ErrorCode.UNAUTHENTICATED, e.code() + ": " + e.getMessage());
        }
        if (principal.hasRole(SERVICE_ROLE)) return new Caller.Service(principal.userId(), principal);
        return new Caller.User(principal);
    }

    /** A backend service only; a user token is refused with {@code FORBIDDEN}. */
    public Caller.Service requireService(String credential) {
        Caller caller = authenticate(credential);
        if (caller instanceof Caller.Service service) return service;
        throw new HeraldException(ErrorCode.FORBIDDEN, "this API needs a service credential (API key or role service)");
    }

    /** A service (key or role service) or a user token with role {@code admin}; anyone else is {@code FORBIDDEN}. */
    public Caller requireAdmin(String credential) {
        Caller caller = authenticate(credential);
        if (caller instanceof Caller.User user && !user.principal().hasRole(ADMIN_ROLE)) {
            throw new HeraldException(ErrorCode.FORBIDDEN, "this API needs role admin or a service credential");
        }
        return caller;
    }

    /**
     * Lets a service act for any user and a user only for themselves.
     *
     * @throws HeraldException {@code FORBIDDEN} when a user caller names someone else
     */
    public static void requireSelfOrService(Caller caller, String userId) {
        if (caller instanceof Caller.User user && !user.principal().userId().equals(userId)) {
            throw new HeraldException(ErrorCode.FORBIDDEN, "a user may only act on their own data");
        }
    }

    /** A JWS compact serialization has exactly two dots; API keys are expected to have none. */
    private static boolean looksLikeJwt(String credential) {
        return credential.chars().filter(c -> c == '.').count() == 2;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
