package dev.herald.server.ops;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.herald.core.ErrorCode;
import dev.herald.core.auth.Principal;
import dev.herald.core.deliver.live.ConnectionObserver;
import dev.herald.core.deliver.live.DisconnectReason;
import dev.herald.core.deliver.live.Session;
import dev.herald.core.deliver.live.Transport;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INFO lines for sessions coming and going (DESIGN §8): socket, user, team, transport, and on
 * disconnect the reason and how long the session lasted. The values are JSON fields too
 * ({@code user}, {@code team}, {@code transport}, {@code reason}, {@code duration_ms}). Then hands
 * every call to {@code next} (the metrics).
 */
public final class ConnectionLog implements ConnectionObserver {
    private static final Logger log = LoggerFactory.getLogger(ConnectionLog.class);
    private final ConnectionObserver next;

    public ConnectionLog(ConnectionObserver next) {
        this.next = next;
    }

    @Override
    public void connected(Session session) {
        Principal p = session.principal();
        log.info("connected {} {} {} {}", kv("socket", session.id()), kv("user", p.userId()), kv("team", p.teamId()),
                kv("transport", session.transport().wireName()));
        next.connected(session);
    }

    @Override
    public void disconnected(Session session, DisconnectReason reason, Duration connectedFor) {
        Principal p = session.principal();
        log.info("disconnected {} {} {} {} {} {}", kv("socket", session.id()), kv("user", p.userId()), kv("team", p.teamId()),
                kv("transport", session.transport().wireName()), kv("reason", reason.code()), kv("duration_ms", connectedFor.toMillis()));
        next.disconnected(session, reason, connectedFor);
    }

    @Override
    public void refused(ErrorCode code) {
        next.refused(code);
    }

    // Every method is forwarded, defaults included: a decorator that leaves one out silently
    // drops what the next observer counts (websocket_messages_received_total went missing so).
    @Override
    public void received(Session session, String event) {
        next.received(session, event);
    }

    @Override
    public void transportChanged(Session session, Transport from) {
        log.debug("upgraded {} {} from {} to {}", kv("socket", session.id()), kv("user", session.principal().userId()),
                from.wireName(), session.transport().wireName());
        next.transportChanged(session, from);
    }
}
