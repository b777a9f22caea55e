package dev.herald.api.auth;

import static dev.herald.api.auth.JwtAuthenticatorTest.SECRET;
import static dev.herald.api.auth.JwtAuthenticatorTest.T0;
import static dev.herald.api.auth.JwtAuthenticatorTest.clockAt;
import static dev.herald.api.auth.JwtAuthenticatorTest.hs256;
import static dev.herald.api.auth.Refusals.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How long a token may live: exp required by default, a maximum lifetime, no iat from the future. */
class JwtLifetimeTest {
    final JwtConfig defaults = JwtConfig.hs256(SECRET);

    static JwtConfig with(JwtConfig.Lifetime lifetime) {
        return new JwtConfig(SECRET.getBytes(StandardCharsets.UTF_8), null, null, null, lifetime);
    }

    static JWTClaimsSet.Builder user() {
        return new JWTClaimsSet.Builder().claim("user_id", "u1");
    }

    static Date at(Instant instant) {
        return Date.from(instant);
    }

    @Test
    void refusesATokenWithoutExpWithInvalidTokenByDefault() throws Exception {
        String token = hs256(SECRET, user().build());

        HeraldException e = refusal(() -> new JwtAuthenticator(defaults, clockAt(T0)).authenticate(token));

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TOKEN);
        assertThat(e.getMessage()).contains("exp");
    }

    @Test
    void acceptsATokenWithoutExpWhenExpIsNotRequired() throws Exception {
        JwtConfig lax = with(new JwtConfig.Lifetime(JwtConfig.DEFAULT_CLOCK_SKEW, false, JwtConfig.DEFAULT_MAX_LIFETIME));

        assertThat(new JwtAuthenticator(lax, clockAt(T0)).authenticate(hs256(SECRET, user().build())).userId()).isEqualTo("u1");
    }

    @Test
    void refusesATokenIssuedBeyondTheSkewInTheFutureWithInvalidToken() throws Exception {
        String token = hs256(SECRET, user().issueTime(at(T0.plus(Duration.ofDays(1))))
                .expirationTime(at(T0.plus(Duration.ofDays(1)).plusSeconds(3600))).build());

        HeraldException e = refusal(() -> new JwtAuthenticator(defaults, clockAt(T0)).authenticate(token));

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TOKEN);
        assertThat(e.getMessage()).contains("iat");
    }

    @Test
    void acceptsATokenIssuedWithinTheSkewInTheFuture() throws Exception {
        String token = hs256(SECRET, user().issueTime(at(T0.plusSeconds(10))).expirationTime(at(T0.plusSeconds(3600))).build());

        assertThat(new JwtAuthenticator(defaults, clockAt(T0)).authenticate(token).userId()).isEqualTo("u1");
    }

    @Test
    void refusesATokenLivingLongerThanTheMaximumWithInvalidToken() throws Exception {
        String token = hs256(SECRET, user().issueTime(at(T0)).expirationTime(at(T0.plus(Duration.ofDays(30)))).build());

        HeraldException e = refusal(() -> new JwtAuthenticator(defaults, clockAt(T0)).authenticate(token));

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TOKEN);
        assertThat(e.getMessage()).contains("JWT_MAX_LIFETIME_SECONDS");
    }

    @Test
    void measuresTheLifetimeFromNowWhenTheTokenHasNoIat() throws Exception {
        String token = hs256(SECRET, user().expirationTime(at(T0.plus(Duration.ofDays(30)))).build());

        assertThat(refusal(() -> new JwtAuthenticator(defaults, clockAt(T0)).authenticate(token)).code())
                .isEqualTo(ErrorCode.INVALID_TOKEN);
    }

    @Test
    void acceptsATokenOfExactlyTheMaximumLifetime() {
        String token = new TokenIssuer(defaults, clockAt(T0)).issue("u1", null, List.of(), List.of(), JwtConfig.DEFAULT_MAX_LIFETIME);

        assertThat(new JwtAuthenticator(defaults, clockAt(T0)).authenticate(token).userId()).isEqualTo("u1");
    }

    @Test
    void acceptsAnyLifetimeWhenTheMaximumIsZero() throws Exception {
        JwtConfig unbounded = with(new JwtConfig.Lifetime(JwtConfig.DEFAULT_CLOCK_SKEW, true, Duration.ZERO));
        String token = hs256(SECRET, user().issueTime(at(T0)).expirationTime(at(T0.plus(Duration.ofDays(3650)))).build());

        assertThat(new JwtAuthenticator(unbounded, clockAt(T0)).authenticate(token).userId()).isEqualTo("u1");
    }

    @Test
    void refusesANegativeMaximumLifetimeNamingTheVariable() {
        assertThatThrownBy(() -> new JwtConfig.Lifetime(Duration.ofSeconds(30), true, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JWT_MAX_LIFETIME_SECONDS");
    }
}
