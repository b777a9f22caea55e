package dev.herald.core.route;

import dev.herald.core.auth.Principal;

/**
 * Asks the service that owns a room whether a user belongs in it, for rooms whose membership lives
 * elsewhere ({@code post:{id}}, {@code dm:{id}}). Implementation: an HTTP hook to the owning service.
 *
 * <p>Threading: called on a session's virtual thread; may block (network call).
 */
@FunctionalInterface
public interface MembershipCheck {
    /** @throws dev.herald.core.HeraldException with UNAVAILABLE when the owning service cannot answer */
    boolean isMember(Principal principal, String room);
}
