package dev.herald.api.rest;

import dev.herald.api.auth.Caller;
import dev.herald.api.auth.ServiceAuth;
import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.http.HttpRequest;
import org.slf4j.MDC;

/**
 * Who a REST request acts for, the same way on every routed service: authentication first (so an
 * anonymous caller learns nothing from validation), then the caller's id in the {@code caller} MDC
 * key, which {@link RestRouter#serve} clears.
 */
public final class Callers {
    public static final int MAX_USER_ID = 256;

    private Callers() {}

    public static String credential(HttpRequest request) {
        return ServiceAuth.credential(request.header("authorization").orElse(null), request.header("x-api-key").orElse(null));
    }

    /** An operator: a service (API key or role service) or a JWT with role admin; other users are {@code FORBIDDEN}. */
    public static Caller admin(ServiceAuth auth, HttpRequest request) {
        Caller caller = auth.requireAdmin(credential(request));
        MDC.put("caller", caller.id());
        return caller;
    }

    /** A backend service (API key, or JWT with role service); a user token, admin or not, is {@code FORBIDDEN}. */
    public static Caller.Service service(ServiceAuth auth, HttpRequest request) {
        Caller.Service caller = auth.requireService(credential(request));
        MDC.put("caller", caller.id());
        return caller;
    }

    /**
     * Whose data a user route acts on: the user's own, or, for a service, the {@code ?userId=} one
     * (400 without it). A user naming someone else is {@code FORBIDDEN}.
     */
    public static String owner(ServiceAuth auth, HttpRequest request) {
        Caller caller = auth.authenticate(credential(request));
        MDC.put("caller", caller.id());
        String named = request.queryParam("userId").filter(v -> !v.isBlank()).orElse(null);
        if (caller instanceof Caller.User user) {
            if (named != null) ServiceAuth.requireSelfOrService(caller, named);
            return user.principal().userId();
        }
        if (named == null) throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "userId: a service names the user with ?userId=");
        return userId(named);
    }

    /** A user id from a path or query: at most {@link #MAX_USER_ID} characters. */
    public static String userId(String id) {
        if (id.isBlank()) throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "userId: required");
        if (id.length() > MAX_USER_ID) throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "userId: at most " + MAX_USER_ID + " characters");
        return id;
    }
}
