package dev.herald.channels.push.fcm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.herald.channels.push.PushHttp;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.locks.ReentrantLock;

/**
 * OAuth2 access tokens for FCM by the JWT-bearer grant (RFC 7523, Google's "service account"
 * flow): an RS256 assertion signed with the account's key, {@code iss} the account, {@code aud}
 * the token URL, {@code scope} firebase.messaging, one hour long; posted as a form to the token
 * URL. A token is reused until a minute before it expires, so a send normally costs no token call.
 * Thread-safe: one refresh at a time, the others wait for it.
 */
final class GoogleAccessTokens {
    static final String SCOPE = "https://www.googleapis.com/auth/firebase.messaging";
    static final String GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    static final Duration EARLY = Duration.ofMinutes(1);

    /** A token, or why none could be had and whether trying again may help. */
    record Token(String value, String failure, boolean retryable, Duration retryAfter) {}

    private final ServiceAccount account;
    private final URI tokenUrl;
    private final PushHttp http;
    private final ReentrantLock lock = new ReentrantLock();
    private String cached;
    private Instant expires = Instant.MIN;

    GoogleAccessTokens(ServiceAccount account, URI tokenUrl, PushHttp http) {
        this.account = account;
        this.tokenUrl = tokenUrl;
        this.http = http;
    }

    Token get() {
        // A lock, not synchronized: the refresh waits on the network, and callers are virtual threads.
        lock.lock();
        try {
            return current();
        } finally {
            lock.unlock();
        }
    }

    private Token current() {
        Instant now = http.clock().instant();
        if (cached != null && now.isBefore(expires.minus(EARLY))) return new Token(cached, null, false, null);
        String form = "grant_type=" + URLEncoder.encode(GRANT, StandardCharsets.UTF_8)
                + "&assertion=" + URLEncoder.encode(assertion(now), StandardCharsets.UTF_8);
        PushHttp.Outcome outcome = http.exchange(PushHttp.request(tokenUrl)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
        if (outcome.answer() == null) return new Token(null, "token endpoint: " + outcome.failure(), true, null);
        PushHttp.Answer a = outcome.answer();
        if (a.status() != 200) {
            String reason = "token endpoint: http " + a.status() + errorCode(a.body());
            if (PushHttp.retryable(a.status())) return new Token(null, reason, true, http.retry(a, reason).retryAfter());
            return new Token(null, reason, false, null);
        }
        try {
            JsonNode body = new ObjectMapper().readTree(a.body());
            String token = body.path("access_token").asText(null);
            long seconds = body.path("expires_in").asLong(3600);
            if (token == null || token.isBlank()) return new Token(null, "token endpoint: no access_token", true, null);
            cached = token;
            expires = now.plusSeconds(seconds);
            return new Token(token, null, false, null);
        } catch (Exception e) {
            return new Token(null, "token endpoint: unreadable answer", true, null);
        }
    }

    /** FCM refused the token (401): the next send fetches a new one. */
    void invalidate(String token) {
        lock.lock();
        try {
            if (token.equals(cached)) cached = null;
        } finally {
            lock.unlock();
        }
    }

    private String assertion(Instant now) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(account.clientEmail())
                .audience(tokenUrl.toString())
                .claim("scope", SCOPE)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(3600)))
                .build();
        JWSHeader.Builder header = new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT);
        if (account.privateKeyId() != null) header.keyID(account.privateKeyId());
        SignedJWT jwt = new SignedJWT(header.build(), claims);
        try {
            jwt.sign(new RSASSASigner(account.privateKey()));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign the FCM assertion: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    /** {@code ": invalid_grant"} from an OAuth error answer, or nothing. */
    private static String errorCode(String body) {
        try {
            String code = new ObjectMapper().readTree(body).path("error").asText("");
            return code.matches("[a-z_]{1,40}") ? ": " + code : "";
        } catch (Exception e) {
            return "";
        }
    }
}
