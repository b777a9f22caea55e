package dev.herald.core.deliver.live;

import dev.herald.core.auth.Principal;

/**
 * A connected, authenticated client, whatever its protocol (Socket.IO namespace socket, plain /ws).
 * Implemented by the gateway; core only ever talks to clients through this.
 *
 * <p>Threading: every method is thread-safe and non-blocking. {@link #send} never grows memory
 * without bound: when the client's outbound buffer is full the session is closed with
 * {@link DisconnectReason#SLOW_CONSUMER} and {@code send} answers false.
 */
public interface Session {
    /** The socket id the client sees (Socket.IO's {@code socket.id}); unique cluster-wide. */
    String id();

    Principal principal();

    /**
     * Swaps the principal for one from a refreshed token of the same user ({@code auth:refresh});
     * {@link #principal()} answers the new one from then on. Rooms already joined stay joined.
     */
    void replacePrincipal(Principal refreshed);

    /** The current transport; changes once from POLLING to WEBSOCKET when a client upgrades. */
    Transport transport();

    /** Queues the event for the client. Returns false if the session is closed or was just dropped. */
    boolean send(OutboundEvent event);

    /** Tells the client why (where the protocol can) and closes; idempotent. */
    void close(DisconnectReason reason);

    boolean isOpen();

    /**
     * Queues the event asking the client to acknowledge it within {@code timeout} (Socket.IO's
     * {@code emitWithAck}); {@code answer} is then called exactly once, from any thread, with the
     * ack's first argument as JSON text ({@code "null"} when it had none), or empty when no ack came
     * in time or the client went away. Returns false, having sent nothing, when the session is
     * closed or its protocol has no acks (plain /ws, the default); {@code answer} may then still be
     * called, and callers ignore it.
     */
    default boolean sendWithAck(OutboundEvent event, java.time.Duration timeout,
                                java.util.function.Consumer<java.util.Optional<String>> answer) {
        return false;
    }
}
