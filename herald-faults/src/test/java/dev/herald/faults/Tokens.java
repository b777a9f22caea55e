package dev.herald.faults;

import dev.herald.api.auth.JwtConfig;
import dev.herald.api.auth.TokenIssuer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** The secrets every fault-suite node is started with, and user tokens signed with them. */
final class Tokens {
    static final String SECRET = "faults-secret-0123456789abcdef0123456789abcdef";
    static final String API_KEY = "faults-api-key-0123456789abcdef";
    private static final TokenIssuer ISSUER = new TokenIssuer(JwtConfig.hs256(SECRET), Clock.systemUTC());

    private Tokens() {}

    static String user(String userId, String teamId) {
        return ISSUER.issue(userId, teamId, List.of(), List.of(), Duration.ofHours(1));
    }
}
