package dev.herald.core.auth;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * Who a verified token speaks for. {@code teamId}, {@code email} and {@code expiresAt} may be null;
 * {@code roles} and {@code groups} are never null.
 */
public record Principal(String userId, String teamId, Set<String> roles, Set<String> groups,
                        String email, Instant expiresAt) {
    public Principal {
        Objects.requireNonNull(userId, "userId");
        if (userId.isBlank()) throw new IllegalArgumentException("userId is blank");
        roles = roles == null ? Set.of() : Set.copyOf(roles);
        groups = groups == null ? Set.of() : Set.copyOf(groups);
    }

    public static Principal user(String userId, String teamId) {
        return new Principal(userId, teamId, Set.of(), Set.of(), null, null);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }
}
