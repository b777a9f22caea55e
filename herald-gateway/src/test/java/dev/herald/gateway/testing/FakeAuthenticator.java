package dev.herald.gateway.testing;

import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.auth.Authenticator;
import dev.herald.core.auth.Principal;

/** Tokens "user:&lt;id&gt;" are valid for that user, "expired" is expired, anything else is invalid. */
public final class FakeAuthenticator implements Authenticator {
    @Override
    public Principal authenticate(String token) {
        if (token == null || token.isBlank()) throw new HeraldException(ErrorCode.AUTH_FAILED, "token required");
        if (token.equals("expired")) throw new HeraldException(ErrorCode.TOKEN_EXPIRED, "token expired");
        if (!token.startsWith("user:")) throw new HeraldException(ErrorCode.INVALID_TOKEN, "invalid token");
        return Principal.user(token.substring(5), "team-1");
    }
}
