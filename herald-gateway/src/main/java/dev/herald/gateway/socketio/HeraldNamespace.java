package dev.herald.gateway.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.auth.Authenticator;
import dev.herald.core.auth.Principal;
import dev.herald.core.deliver.live.ClientEvent;
import dev.herald.core.deliver.live.SessionHandler;
import dev.herald.core.http.HttpRequest;
import dev.herald.core.limit.RateLimited;
import dev.herald.gateway.GatewayMetrics;
import dev.herald.gateway.HandshakeGate;
import dev.herald.gateway.SerialExecutor;
import dev.herald.gateway.SessionRegistry;
import dev.herald.gateway.TokenBucket;
import dev.herald.gateway.engineio.EnginePacket;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Bridges one Socket.IO namespace to Herald: authenticates the CONNECT, then drives the
 * {@link SessionHandler} (open → CONNECT reply → ready → event* → closed) serially per session on
 * virtual threads. Nothing here runs blocking work on the event loop.
 */
public final class HeraldNamespace implements ConnectHandler {
    private static final Logger log = LoggerFactory.getLogger(HeraldNamespace.class);

    private final SocketIoSession.NamespaceKey key;
    private final Authenticator authenticator;
    private final SessionHandler handler;
    private final SessionRegistry registry;
    private final GatewayMetrics metrics;
    private final Clock clock;
    private final double eventsPerSecond;
    private final int eventBurst;
    private final HandshakeGate handshakes;

    public HeraldNamespace(String nsp, Authenticator authenticator, SessionHandler handler, SessionRegistry registry,
                           GatewayMetrics metrics, Clock clock, double eventsPerSecond, int eventBurst,
                           HandshakeGate handshakes) {
        this.key = new SocketIoSession.NamespaceKey(nsp);
        this.authenticator = authenticator;
        this.handler = handler;
        this.registry = registry;
        this.metrics = metrics;
        this.clock = clock;
        this.eventsPerSecond = eventsPerSecond;
        this.eventBurst = eventBurst;
        this.handshakes = handshakes;
    }

    @Override
    public void onConnect(ConnectRequest request) {
        SerialExecutor serial = new SerialExecutor();
        // The CONNECT reply, the greeting and the pending notifications leave together: one
        // hand-off back to the loop and one write per handshake instead of one of each per frame.
        serial.execute(() -> request.socket().batched(() -> admit(request, serial)));
    }

    private void admit(ConnectRequest request, SerialExecutor serial) {
        SioSocket socket = request.socket();
        Principal principal;
        SocketIoSession session;
        RateLimited flood = handshakes.check(request.handshake().remoteAddress());
        if (flood != null) {
            request.reject(flood.getMessage(), SioCodec.MAPPER.createObjectNode().put("code", flood.code().name())
                    .put("retryAfter", flood.retryAfterSeconds()));
            return;
        }
        try {
            try (MDC.MDCCloseable ip = MDC.putCloseable(Authenticator.CLIENT_IP_MDC, request.handshake().remoteAddress())) {
                principal = authenticator.authenticate(token(request.auth(), request.handshake()));
            }
            session = new SocketIoSession(socket, principal, key);
            handler.open(session);
        } catch (HeraldException e) {
            request.reject(e.getMessage(), SioCodec.MAPPER.createObjectNode().put("code", e.code().name()));
            return;
        } catch (RuntimeException e) {
            log.error("session admission failed", e);
            request.reject("internal error", SioCodec.MAPPER.createObjectNode().put("code", ErrorCode.INTERNAL.name()));
            return;
        }
        registry.add(session);
        TokenBucket bucket = new TokenBucket(eventsPerSecond, eventBurst, clock);
        socket.onAny((event, args, ack) -> onEvent(session, serial, bucket, event, args, ack));
        socket.onUpgrade(() -> serial.execute(() -> handler.transportChanged(session)));
        socket.onDisconnect(reason -> serial.execute(() -> {
            try {
                handler.closed(session, reason);
            } finally {
                registry.remove(session);
            }
        }));
        request.accept();
        handler.ready(session);
    }

    private void onEvent(SocketIoSession session, SerialExecutor serial, TokenBucket bucket, String event,
                         List<JsonNode> args, SioAck ack) {
        if (!bucket.tryTake()) {
            metrics.eventRateLimited();
            // The budget refills at EVENTS_PER_SECOND (at least 1/s): a permit is back within a second.
            String error = "{\"code\":\"RATE_LIMITED\",\"message\":\"too many events, slow down\",\"retryAfter\":1}";
            if (ack != null) {
                ack.sendJson("{\"error\":" + error + "}");
            } else {
                session.socket().sendPackets(List.of(EnginePacket.message(
                        SioCodec.eventPrefix(session.socket().namespace()) + "[\"error\"," + error + "]")));
            }
            return;
        }
        JsonNode data = args.isEmpty() ? NullNode.getInstance() : args.getFirst();
        ClientEvent clientEvent = new ClientEvent(event, data, ack == null ? null : ack::sendJson);
        serial.execute(() -> handler.event(session, clientEvent));
    }

    /** auth.token from the CONNECT payload, else the handshake's ?token=, else Authorization: Bearer. */
    static String token(JsonNode auth, HttpRequest handshake) {
        JsonNode t = auth == null ? null : auth.get("token");
        if (t != null && t.isTextual() && !t.asText().isBlank()) return t.asText();
        var q = handshake.queryParam("token");
        if (q.isPresent() && !q.get().isBlank()) return q.get();
        var h = handshake.header("authorization");
        if (h.isPresent() && h.get().regionMatches(true, 0, "Bearer ", 0, 7)) {
            String v = h.get().substring(7).trim();
            if (!v.isEmpty()) return v;
        }
        throw new HeraldException(ErrorCode.AUTH_FAILED, "authentication token required");
    }
}
