package dev.herald.gateway.ws;

import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.auth.Authenticator;
import dev.herald.core.deliver.live.DisconnectReason;
import dev.herald.core.deliver.live.SessionHandler;
import dev.herald.core.limit.RateLimited;
import dev.herald.gateway.HandshakeGate;
import dev.herald.gateway.SessionRegistry;
import dev.herald.gateway.http.HttpReplies;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import org.slf4j.MDC;

/**
 * Admits one /ws session once it has a token: the handshake budget of its IP, the token, then
 * {@link SessionHandler#open}; an admitted session is registered, opened and greeted
 * ({@link SessionHandler#ready}). Each refusal is an error frame and a close code (see the package
 * documentation).
 *
 * <p>Threading: on the session's virtual thread, since the authenticator and the handler may block.
 * The frames it writes, the greeting among them, are not flushed one by one (Netty queues such
 * writes without waking the loop) but once at the end, so admitting a session costs one wake-up
 * and one write instead of one per frame.
 */
final class PlainWsAdmission {
    private final PlainWsSession session;
    private final Channel channel;
    private final Authenticator authenticator;
    private final SessionHandler handler;
    private final SessionRegistry registry;
    private final HandshakeGate handshakes;
    /** The virtual thread admitting and greeting the session, while it does. */
    private volatile Thread admitting;

    PlainWsAdmission(PlainWsSession session, Channel channel, Authenticator authenticator, SessionHandler handler,
                     SessionRegistry registry, HandshakeGate handshakes) {
        this.session = session;
        this.channel = channel;
        this.authenticator = authenticator;
        this.handler = handler;
        this.registry = registry;
        this.handshakes = handshakes;
    }

    /** Whether the caller is the thread admitting the session: its writes wait for the one flush. */
    boolean isAdmittingThread() {
        return Thread.currentThread() == admitting;
    }

    void admitFlushingOnce(String token) {
        admitting = Thread.currentThread();
        try {
            admit(token);
        } finally {
            admitting = null;
            channel.flush();
        }
    }

    private void admit(String token) {
        String ip = channel.remoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : "";
        RateLimited flood = handshakes.check(ip);
        if (flood != null) {
            session.write("{\"event\":\"error\",\"data\":{\"code\":\"RATE_LIMITED\",\"message\":\"" + HttpReplies.jsonEscape(flood.getMessage())
                    + "\",\"retryAfter\":" + flood.retryAfterSeconds() + "}}");
            session.closeWith(PlainWsSession.CLOSE_RATE_LIMITED, DisconnectReason.PROTOCOL_ERROR);
            return;
        }
        try {
            try (MDC.MDCCloseable c = MDC.putCloseable(Authenticator.CLIENT_IP_MDC, ip)) {
                session.replacePrincipal(authenticator.authenticate(token));
            }
        } catch (HeraldException e) {
            session.sendError(e.code().name(), e.getMessage());
            session.closeWith(PlainWsSession.CLOSE_AUTH, DisconnectReason.PROTOCOL_ERROR);
            return;
        }
        try {
            handler.open(session);
        } catch (HeraldException e) {
            session.sendError(e.code().name(), e.getMessage());
            session.closeWith(PlainWsSession.CLOSE_REFUSED, DisconnectReason.PROTOCOL_ERROR);
            return;
        } catch (RuntimeException e) {
            session.sendError(ErrorCode.INTERNAL.name(), "internal error");
            session.closeWith(1011, DisconnectReason.PROTOCOL_ERROR);
            return;
        }
        registry.add(session);
        if (session.opened()) handler.ready(session);
    }
}
