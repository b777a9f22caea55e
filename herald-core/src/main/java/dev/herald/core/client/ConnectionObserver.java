package dev.herald.core.client;

import dev.herald.core.session.DisconnectReason;
import dev.herald.core.session.Session;

/** Hears connection lifecycle for metrics and logs; must be fast and must not throw. */
public interface ConnectionObserver {
    ConnectionObserver NONE = new ConnectionObserver() {};

    default void connected(Session session) {}

    default void disconnected(Session session, DisconnectReason reason, java.time.Duration connectedFor) {}

    default void refused(dev.herald.core.ErrorCode code) {}

    /** A session's transport changed (a polling client upgraded). */
    default void transportChanged(Session session, dev.herald.core.session.Transport from) {}
}
