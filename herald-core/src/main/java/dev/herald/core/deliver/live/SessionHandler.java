package dev.herald.core.deliver.live;

import dev.herald.core.HeraldException;

/**
 * What the application does with client sessions; the gateway calls it for every protocol.
 *
 * <p>Threading: for one session the calls are serial, in this order: {@code open}, then (if open
 * did not throw) {@code ready}, any number of {@code event}, then exactly one {@code closed}. They
 * run on virtual threads, never on a network event loop, so they may block (a database, Redis).
 */
public interface SessionHandler {
    /**
     * Admits an authenticated session before the client is told it is connected.
     *
     * @throws HeraldException to refuse it (e.g. {@code CONNECTION_LIMIT_REACHED}); the client gets
     *     the code (Socket.IO CONNECT_ERROR {@code {message, data:{code}}}) and {@link #closed} is
     *     not called
     */
    void open(Session session);

    /** The client now knows it is connected: greet it (connection_ready, pending notifications). */
    void ready(Session session);

    void event(Session session, ClientEvent event);

    /** The session's {@link Session#transport()} changed (a polling client upgraded to WebSocket). */
    default void transportChanged(Session session) {}

    /** The session is gone; called once for every session whose {@code open} succeeded. */
    void closed(Session session, DisconnectReason reason);
}
