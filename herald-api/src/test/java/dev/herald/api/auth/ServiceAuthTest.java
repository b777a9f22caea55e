package dev.herald.api.auth;

import static dev.herald.api.auth.Refusals.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.herald.core.ErrorCode;
import dev.herald.core.auth.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServiceAuthTest {
    static final String KEY = "svc-key-0123456789abcdef";
    static final String OTHER_KEY = "other-key-0123456789abcdef";
    final Clock clock = Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC);
    final JwtConfig config = JwtConfig.hs256(JwtAuthenticatorTest.SECRET);
    final TokenIssuer issuer = new TokenIssuer(config, clock);
    final ServiceAuth auth = new ServiceAuth(new JwtAuthenticator(config, clock), List.of(KEY, ServiceAuth.hashedForm(OTHER_KEY)));

    String tokenWithRoles(String... roles) {
        return issuer.issue("caller", "t1", List.of(roles), List.of(), Duration.ofMinutes(5));
    }

    @Test
    void acceptsAConfiguredApiKeyAsABearer() {
        Caller caller = auth.requireService(ServiceAuth.credential("Bearer " + KEY, null));

        assertThat(caller).isInstanceOf(Caller.Service.class);
        assertThat(caller.id()).startsWith("key:").doesNotContain(KEY);
    }

    @Test
    void acceptsAnApiKeyConfiguredOnlyAsItsHash() {
        assertThat(auth.requireService(ServiceAuth.credential(null, OTHER_KEY))).isInstanceOf(Caller.Service.class);
    }

    @Test
    void refusesAnUnknownApiKeyWithUnauthenticated() {
        assertThat(refusal(() -> auth.requireService("not-a-configured-key-at-all")).code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
    }

    @Test
    void refusesMissingCredentialsWithUnauthenticated() {
        assertThat(refusal(() -> auth.requireService(ServiceAuth.credential(null, null))).code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
        assertThat(refusal(() -> auth.requireService(ServiceAuth.credential("Bearer ", " "))).code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
    }

    @Test
    void acceptsATokenWithTheServiceRole() {
        Caller.Service service = auth.requireService(tokenWithRoles("service"));

        assertThat(service.principal().userId()).isEqualTo("caller");
    }

    @Test
    void refusesAnAdminTokenOnAServiceApiWithForbidden() {
        assertThat(refusal(() -> auth.requireService(tokenWithRoles("admin"))).code()).isEqualTo(ErrorCode.FORBIDDEN);
    }

    @Test
    void treatsAnAdminTokenAsAUserActingOnTheirOwnData() {
        Caller admin = auth.authenticate(tokenWithRoles("admin"));

        assertThat(admin).isInstanceOf(Caller.User.class);
        assertThat(refusal(() -> ServiceAuth.requireSelfOrService(admin, "someone-else")).code()).isEqualTo(ErrorCode.FORBIDDEN);
    }

    @Test
    void admitsAnAdminTokenOrAServiceToTheAdminApisAndNobodyElse() {
        assertThat(auth.requireAdmin(tokenWithRoles("admin")).id()).isEqualTo("caller");
        assertThat(auth.requireAdmin(KEY)).isInstanceOf(Caller.Service.class);
        assertThat(refusal(() -> auth.requireAdmin(tokenWithRoles("editor"))).code()).isEqualTo(ErrorCode.FORBIDDEN);
    }

    @Test
    void refusesAUserTokenWithoutTheServiceRoleWithForbidden() {
        assertThat(refusal(() -> auth.requireService(tokenWithRoles("editor"))).code()).isEqualTo(ErrorCode.FORBIDDEN);
    }

    @Test
    void refusesABadTokenWithUnauthenticated() {
        String tampered = tokenWithRoles("service") + "x";

        assertThat(refusal(() -> auth.requireService(tampered)).code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
    }

    @Test
    void letsAUserActOnlyOnTheirOwnData() {
        Caller user = auth.authenticate(tokenWithRoles());

        assertThatCode(() -> ServiceAuth.requireSelfOrService(user, "caller")).doesNotThrowAnyException();
        assertThat(refusal(() -> ServiceAuth.requireSelfOrService(user, "someone-else")).code()).isEqualTo(ErrorCode.FORBIDDEN);
    }

    @Test
    void letsAServiceActForAnyUser() {
        Caller service = new Caller.Service("svc", new Principal("svc", null, Set.of("service"), Set.of(), null, null));

        assertThatCode(() -> ServiceAuth.requireSelfOrService(service, "anyone")).doesNotThrowAnyException();
    }
}
