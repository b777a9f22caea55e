/**
 * Socket.IO v5 on Engine.IO: the packet codec (binary attachments anywhere in the JSON tree),
 * namespaces with a {@link dev.herald.gateway.socketio.ConnectHandler}, acks both ways, and the
 * Herald bridge {@link dev.herald.gateway.socketio.HeraldNamespace}.
 *
 * <h2>What a socket.io-client sees</h2>
 * <ul>
 *   <li><b>Refused connect</b> (bad token, or {@code SessionHandler.open} threw): CONNECT_ERROR
 *       {@code {"message": <exception message>, "data": {"code": <ErrorCode>}}}; the client's
 *       {@code connect_error} handler gets {@code err.message} and {@code err.data.code}. The token is
 *       {@code auth.token}, else the handshake query {@code token}, else {@code Authorization: Bearer}.</li>
 *   <li><b>{@code Session.close(reason)}</b>: first an event {@code error} {@code {code, message}} with
 *       the reason's code (skipped for {@code client_closed}), then a DISCONNECT packet for the namespace:
 *       the client fires {@code disconnect} with reason {@code "io server disconnect"} and does not
 *       reconnect on its own, so the {@code error} event is where it learns why. The Engine.IO
 *       connection stays up for other namespaces (the client closes it when none is left).</li>
 *   <li><b>{@code slow_consumer}</b>: nothing more can be written, so the Engine.IO connection is dropped
 *       at once; the client sees {@code "transport close"} and reconnects, then syncs what it missed.</li>
 *   <li><b>Shutdown</b>: {@code error {code:"SERVER_SHUTDOWN"}}, then the connection closes without a
 *       DISCONNECT, so that the official client reconnects by itself (to this node or another).</li>
 *   <li><b>Rate limit</b> ({@code eventsPerSecond}/{@code eventBurst} per socket): an event over the
 *       budget is not processed; its ack (if requested) answers
 *       {@code {"error":{"code":"RATE_LIMITED","message":…}}}, otherwise an {@code error} event says so.</li>
 *   <li><b>Malformed packet</b>: the connection is closed (as the reference server does).</li>
 * </ul>
 */
package dev.herald.gateway.socketio;
