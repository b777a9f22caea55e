package dev.herald.core.deliver.live;

import dev.herald.core.deliver.live.DisconnectReason;
import dev.herald.core.deliver.live.Session;

/** Hears connection lifecycle for metrics and logs; must be fast and must not throw. */
public interface ConnectionObserver {
    ConnectionObserver NONE = new ConnectionObserver() {};

    default void connected(Session session) {}

    default void disconnected(Session session, DisconnectReason reason, java.time.Duration connectedFor) {}

    default void refused(dev.herald.core.ErrorCode code) {}

    /** The session sent an event ({@code event} is a handled name, or {@code unknown}). */
    default void received(Session session, String event) {}

    /** A session's transport changed (a polling client upgraded). */
    default void transportChanged(Session session, dev.herald.core.deliver.live.Transport from) {}
}
