package dev.herald.api.auth;

import static dev.herald.api.auth.Refusals.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.auth.Principal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JwtAuthenticatorTest {
    static final String SECRET = "a-test-secret-that-is-long-enough-for-hs256";
    static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    final JwtConfig config = JwtConfig.hs256(SECRET);
    final TokenIssuer issuer = new TokenIssuer(config, clockAt(T0));

    static Clock clockAt(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    JwtAuthenticator authenticatorAt(Instant now) {
        return new JwtAuthenticator(config, clockAt(now));
    }

    static String hs256(String secret, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    static String hs256Json(String secret, String payloadJson) throws Exception {
        JWSObject jws = new JWSObject(new JWSHeader(JWSAlgorithm.HS256), new Payload(payloadJson));
        jws.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jws.serialize();
    }

    /** Claims with an exp an hour after T0, as every token needs one by default. */
    static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().expirationTime(Date.from(T0.plusSeconds(3600)));
    }

    @Test
    void readsEveryClaimOfAnIssuedToken() {
        String token = issuer.issue("u1", "t1", List.of("admin", "editor"), List.of("g1"), "u1@example.com", Duration.ofHours(1));

        Principal p = authenticatorAt(T0.plusSeconds(60)).authenticate(token);

        assertThat(p.userId()).isEqualTo("u1");
        assertThat(p.teamId()).isEqualTo("t1");
        assertThat(p.roles()).containsExactlyInAnyOrder("admin", "editor");
        assertThat(p.groups()).containsExactly("g1");
        assertThat(p.email()).isEqualTo("u1@example.com");
        assertThat(p.expiresAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
    }

    @Test
    void fallsBackToSubWhenThereIsNoUserId() throws Exception {
        String token = hs256(SECRET, claims().subject("s1").build());

        assertThat(authenticatorAt(T0).authenticate(token).userId()).isEqualTo("s1");
    }

    @Test
    void acceptsRolesGivenAsOneString() throws Exception {
        String token = hs256(SECRET, claims().claim("user_id", "u1").claim("roles", "service").build());

        assertThat(authenticatorAt(T0).authenticate(token).roles()).containsExactly("service");
    }

    @Test
    void refusesAMissingTokenWithAuthFailed() {
        assertThat(refusal(() -> authenticatorAt(T0).authenticate(null)).code()).isEqualTo(ErrorCode.AUTH_FAILED);
        assertThat(refusal(() -> authenticatorAt(T0).authenticate("  ")).code()).isEqualTo(ErrorCode.AUTH_FAILED);
    }

    @Test
    void refusesAMalformedTokenWithInvalidToken() {
        assertThat(refusal(() -> authenticatorAt(T0).authenticate("not.a.jwt")).code()).isEqualTo(ErrorCode.INVALID_TOKEN);
        assertThat(refusal(() -> authenticatorAt(T0).authenticate("garbage")).code()).isEqualTo(ErrorCode.INVALID_TOKEN);
    }

    @Test
    void refusesAnUnsignedAlgNoneTokenWithInvalidToken() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String token = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString("{\"user_id\":\"u1\"}".getBytes(StandardCharsets.UTF_8)) + ".";

        assertThat(refusal(() -> authenticatorAt(T0).authenticate(token)).code()).isEqualTo(ErrorCode.INVALID_TOKEN);
    }

    @Test
    void refusesATokenSignedWithAnotherSecretWithInvalidToken() throws Exception {
        String token = hs256("another-secret-that-is-also-long-enough-x", claims().claim("user_id", "u1").build());

        assertThat(refusal(() -> authenticatorAt(T0).authenticate(token)).code()).isEqualTo(ErrorCode.INVALID_TOKEN);
    }

    @Test
    void refusesATokenExpiredBeyondTheSkewWithTokenExpired() {
        String token = issuer.issue("u1", null, List.of(), List.of(), Duration.ofMinutes(5));
        Instant afterSkew = T0.plus(Duration.ofMinutes(5)).plus(JwtConfig.DEFAULT_CLOCK_SKEW).plusSeconds(1);

        assertThat(refusal(() -> authenticatorAt(afterSkew).authenticate(token)).code()).isEqualTo(ErrorCode.TOKEN_EXPIRED);
    }

    @Test
    void acceptsATokenExpiredWithinTheSkew() {
        String token = issuer.issue("u1", null, List.of(), List.of(), Duration.ofMinutes(5));
        Instant withinSkew = T0.plus(Duration.ofMinutes(5)).plusSeconds(10);

        assertThat(authenticatorAt(withinSkew).authenticate(token).userId()).isEqualTo("u1");
    }

    @Test
    void refusesATokenNotYetValidWithInvalidToken() throws Exception {
        String token = hs256(SECRET, claims().claim("user_id", "u1")
                .notBeforeTime(Date.from(T0.plusSeconds(3600))).build());

        assertThat(refusal(() -> authenticatorAt(T0).authenticate(token)).code()).isEqualTo(ErrorCode.INVALID_TOKEN);
    }

    @Test
    void refusesATokenWithoutAUserIdWithInvalidToken() throws Exception {
        String token = hs256(SECRET, claims().claim("team_id", "t1").build());

        assertThat(refusal(() -> authenticatorAt(T0).authenticate(token)).code()).isEqualTo(ErrorCode.INVALID_TOKEN);
    }

    @Test
    void refusesAWrongIssuerOrAudienceWhenTheyAreConfigured() throws Exception {
        JwtConfig strict = new JwtConfig(SECRET.getBytes(StandardCharsets.UTF_8), null, "https://idp", "herald", null);
        JwtAuthenticator auth = new JwtAuthenticator(strict, clockAt(T0));
        String wrongIssuer = hs256(SECRET, claims().claim("user_id", "u1").issuer("https://evil").audience("herald").build());
        String wrongAudience = hs256(SECRET, claims().claim("user_id", "u1").issuer("https://idp").audience("other").build());
        String right = new TokenIssuer(strict, clockAt(T0)).issue("u1", null, Set.of(), Set.of(), Duration.ofMinutes(1));

        assertThat(refusal(() -> auth.authenticate(wrongIssuer)).code()).isEqualTo(ErrorCode.INVALID_TOKEN);
        assertThat(refusal(() -> auth.authenticate(wrongAudience)).code()).isEqualTo(ErrorCode.INVALID_TOKEN);
        assertThat(auth.authenticate(right).userId()).isEqualTo("u1");
    }

    @Test
    void neverPutsTheTokenInARefusalMessage() throws Exception {
        String wrongKey = hs256("another-secret-that-is-also-long-enough-x", claims().claim("user_id", "u1").build());
        String expired = issuer.issue("u1", null, List.of(), List.of(), Duration.ofSeconds(1));

        for (String token : List.of(wrongKey, expired, wrongKey + "x", "a.b.c")) {
            HeraldException e = refusal(() -> authenticatorAt(T0.plus(Duration.ofHours(1))).authenticate(token));
            assertThat(e.getMessage()).doesNotContain(token).doesNotContain(token.substring(token.lastIndexOf('.') + 1));
        }
    }

    @Test
    void refusesAnHs256TokenWhenOnlyAJwksIsConfigured() {
        JwtAuthenticator jwksOnly = new JwtAuthenticator(JwtConfig.jwks(URI.create("http://127.0.0.1:9/jwks.json")), clockAt(T0));
        String token = issuer.issue("u1", null, List.of(), List.of(), Duration.ofMinutes(5));

        assertThat(refusal(() -> jwksOnly.authenticate(token)).code()).isEqualTo(ErrorCode.INVALID_TOKEN);
    }

    @Test
    void refusesASecretShorterThan32BytesNamingJwtSecret() {
        assertThatThrownBy(() -> JwtConfig.hs256("too-short"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JWT_SECRET");
    }

    @Test
    void neverPrintsTheSecret() {
        assertThat(config.toString()).doesNotContain(SECRET);
    }

    @Test
    void refusesNulInTheUserIdWithInvalidToken() throws Exception {
        String token = hs256(SECRET, claims().claim("user_id", "u\u0000").build());

        HeraldException e = refusal(() -> authenticatorAt(T0).authenticate(token));

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TOKEN);
        assertThat(e.getMessage()).isEqualTo("user_id: must not contain U+0000");
    }

    @Test
    void refusesALoneSurrogateInTheTeamIdWithInvalidToken() throws Exception {
        // Escaped by hand: a JSON library would write the lone surrogate as raw (unencodable) text.
        String token = hs256Json(SECRET, "{\"user_id\":\"u1\",\"team_id\":\"t\\ud800\",\"exp\":"
                + T0.plusSeconds(3600).getEpochSecond() + "}");

        HeraldException e = refusal(() -> authenticatorAt(T0).authenticate(token));

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TOKEN);
        assertThat(e.getMessage()).startsWith("team_id: ");
    }

    @Test
    void refusesNulInAGroupWithInvalidToken() throws Exception {
        String token = hs256(SECRET, claims().claim("user_id", "u1").claim("groups", List.of("g\u0000")).build());

        assertThat(refusal(() -> authenticatorAt(T0).authenticate(token)).getMessage()).startsWith("groups: ");
    }
}
