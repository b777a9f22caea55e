/**
 * Plain WebSocket at {@code /ws}: JSON frames {@code {"event":…,"data":…}}, an optional {@code "id"}
 * answered by {@code {"event":"ack","id":…,"data":…}}. The token comes from {@code ?token=},
 * {@code Authorization: Bearer}, or a first frame {@code {"event":"auth","data":{"token":…}}} sent
 * within the connect timeout. The server sends WebSocket pings every pingInterval and closes a
 * connection silent for pingInterval + pingTimeout.
 *
 * <h2>Errors and close codes</h2>
 * Every refusal is first an error frame {@code {"event":"error","data":{"code":…,"message":…}}}, then:
 * <ul>
 *   <li>4401 — authentication failed (no/invalid/expired token, no auth frame in time)</li>
 *   <li>4403 — {@code SessionHandler.open} refused the session (e.g. CONNECTION_LIMIT_REACHED)</li>
 *   <li>1007 — a text frame that is not valid UTF-8 (RFC 6455 §8.1)</li>
 *   <li>1009 — a frame over maxPayload (it cannot be skipped safely); before authentication it can only
 *       be the auth frame, so the error frame before it is INVALID_TOKEN, as for any refused token</li>
 *   <li>1008 — after {@value dev.herald.gateway.ws.PlainWsSession#MAX_MALFORMED_FRAMES} malformed
 *       frames in a row; a single non-JSON or binary frame only gets an INVALID_ARGUMENT error frame
 *       and the connection keeps serving</li>
 *   <li>1001 — server shutdown; 1000 — other server-side closes (after the error frame with the reason)</li>
 * </ul>
 * Events over the rate limit get RATE_LIMITED (in the ack when an id was given, else an error frame).
 */
package dev.herald.gateway.ws;
