/**
 * Engine.IO v4: handshake, HTTP long-polling, WebSocket and the polling→WebSocket upgrade, server
 * pings, maxPayload, engine.io's HTTP 400 error codes. One {@link dev.herald.gateway.engineio.EngineSocket}
 * per session, confined to one event loop; timers are event-loop tasks, no thread per session.
 */
package dev.herald.gateway.engineio;
