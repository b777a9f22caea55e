package dev.herald.api.auth;

import dev.herald.core.auth.Principal;
import java.util.Objects;

/** Who is calling a server API: a backend service, or an end user acting on their own data. */
public sealed interface Caller {
    /** A name safe to log: the key's fingerprint or the token's user id, never a secret. */
    String id();

    /**
     * A backend service: an API key holder ({@code principal} null) or a JWT with role
     * {@code service}. Role {@code admin} alone makes a {@link User} (see {@link ServiceAuth}).
     */
    record Service(String id, Principal principal) implements Caller {
        public Service {
            Objects.requireNonNull(id, "id");
        }
    }

    /** An end user (an admin too); may act only on their own inbox and preferences. */
    record User(Principal principal) implements Caller {
        public User {
            Objects.requireNonNull(principal, "principal");
        }

        @Override
        public String id() {
            return principal.userId();
        }
    }
}
