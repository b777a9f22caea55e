package dev.herald.api.auth;

import static dev.herald.api.auth.Refusals.refusal;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.herald.core.ErrorCode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RS256 and ES256 tokens verified against a JWKS served over real HTTP on loopback. */
class JwksAuthenticationTest {
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    static RSAKey rsa1, rsa2;
    static ECKey ec1;

    static {
        try {
            rsa1 = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
            rsa2 = new RSAKeyGenerator(2048).keyID("rsa-2").generate();
            ec1 = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final AtomicReference<String> jwks = new AtomicReference<>();
    final AtomicInteger fetches = new AtomicInteger();
    HttpServer server;
    JwtAuthenticator authenticator;

    @BeforeEach
    void startJwksServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/jwks.json", exchange -> {
            fetches.incrementAndGet();
            byte[] body = jwks.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json");
        authenticator = new JwtAuthenticator(JwtConfig.jwks(url), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void stopJwksServer() {
        server.stop(0);
    }

    void publish(JWK... keys) {
        jwks.set(new JWKSet(List.of(keys)).toPublicJWKSet().toString());
    }

    static String sign(JWSAlgorithm alg, String kid, JWSSigner signer, String userId) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).type(JOSEObjectType.JWT).build(),
                new JWTClaimsSet.Builder().claim("user_id", userId).expirationTime(Date.from(NOW.plusSeconds(600))).build());
        jwt.sign(signer);
        return jwt.serialize();
    }

    @Test
    void acceptsAnRs256TokenSignedWithAPublishedKey() throws Exception {
        publish(rsa1);

        String token = sign(JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(rsa1), "u1");

        assertThat(authenticator.authenticate(token).userId()).isEqualTo("u1");
    }

    @Test
    void acceptsAnEs256TokenSignedWithAPublishedKey() throws Exception {
        publish(ec1);

        String token = sign(JWSAlgorithm.ES256, "ec-1", new ECDSASigner(ec1), "u2");

        assertThat(authenticator.authenticate(token).userId()).isEqualTo("u2");
    }

    @Test
    void acceptsATokenWithANewKidOnceTheJwksRotates() throws Exception {
        publish(rsa1);
        assertThat(authenticator.authenticate(sign(JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(rsa1), "u1")).userId()).isEqualTo("u1");

        publish(rsa2);
        String rotated = sign(JWSAlgorithm.RS256, "rsa-2", new RSASSASigner(rsa2), "u1");

        assertThat(authenticator.authenticate(rotated).userId()).isEqualTo("u1");
        assertThat(fetches.get()).isEqualTo(2);
    }

    @Test
    void servesKnownKidsFromTheCacheWithoutRefetching() throws Exception {
        publish(rsa1);
        String token = sign(JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(rsa1), "u1");

        authenticator.authenticate(token);
        authenticator.authenticate(token);

        assertThat(fetches.get()).isEqualTo(1);
    }

    @Test
    void refusesATokenWhoseKidIsNotPublishedWithInvalidToken() throws Exception {
        publish(rsa1);

        String token = sign(JWSAlgorithm.RS256, "rsa-2", new RSASSASigner(rsa2), "u1");

        assertThat(refusal(() -> authenticator.authenticate(token)).code()).isEqualTo(ErrorCode.INVALID_TOKEN);
    }

    @Test
    void refusesATokenSignedByAnotherKeyUnderAPublishedKidWithInvalidToken() throws Exception {
        publish(rsa1);

        String forged = sign(JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(rsa2), "u1");

        assertThat(refusal(() -> authenticator.authenticate(forged)).code()).isEqualTo(ErrorCode.INVALID_TOKEN);
    }

    @Test
    void refusesWithAuthFailedWhenTheJwksCannotBeFetched() throws Exception {
        publish(rsa1);
        String token = sign(JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(rsa1), "u1");
        server.stop(0);

        assertThat(refusal(() -> authenticator.authenticate(token)).code()).isEqualTo(ErrorCode.AUTH_FAILED);
    }
}
