package dev.herald.core.auth;

import dev.herald.core.HeraldException;

/**
 * Turns a bearer token into a {@link Principal}. Implementations: JwtAuthenticator (HS256 with a
 * shared secret, RS256/ES256 from a JWKS URL).
 *
 * <p>Threading: thread-safe; may block briefly (a JWKS refresh), so call it off the event loop.
 * Callers put the client's IP in the SLF4J MDC under {@link #CLIENT_IP_MDC} for the duration of
 * the call, so a refusal can be logged with it (the token never is).
 */
public interface Authenticator {
    String CLIENT_IP_MDC = "client_ip";

    /**
     * @throws HeraldException with {@code AUTH_FAILED} (no token), {@code INVALID_TOKEN} (malformed,
     *     bad signature, {@code alg:none}, missing user id) or {@code TOKEN_EXPIRED}
     */
    Principal authenticate(String token);
}
