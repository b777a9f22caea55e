package dev.herald.core.deliver.live;

import java.util.Locale;
import java.util.Objects;

/**
 * Why a session ended. {@code code} is machine-readable and is what clients are told (and what the
 * disconnection metric is labelled with); {@code message} is for people.
 */
public record DisconnectReason(String code, String message) {
    public static final DisconnectReason CLIENT_CLOSED = new DisconnectReason("client_closed", "client disconnected");
    public static final DisconnectReason TRANSPORT_ERROR = new DisconnectReason("transport_error", "transport error");
    public static final DisconnectReason PING_TIMEOUT = new DisconnectReason("ping_timeout", "no pong within pingTimeout");
    public static final DisconnectReason SERVER_SHUTDOWN = new DisconnectReason("server_shutdown", "server is shutting down");
    public static final DisconnectReason SLOW_CONSUMER = new DisconnectReason("slow_consumer", "client did not read fast enough");
    public static final DisconnectReason TOO_MANY_CONNECTIONS = new DisconnectReason("too_many_connections", "newer connection of the same user replaced this one");
    public static final DisconnectReason RATE_LIMITED = new DisconnectReason("rate_limited", "too many events");
    /** The token's exp passed with no {@code auth:refresh}; the client's {@code error} event says "Token expired". */
    public static final DisconnectReason TOKEN_EXPIRED = new DisconnectReason("token_expired", "Token expired");
    public static final DisconnectReason PROTOCOL_ERROR = new DisconnectReason("protocol_error", "malformed packet");

    public DisconnectReason {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    /** A server-side kick (gRPC DisconnectUser, REST DELETE) with the operator's reason. */
    public static DisconnectReason kicked(String message) {
        return new DisconnectReason("server_disconnect", message == null || message.isBlank() ? "disconnected by server" : message);
    }

    /**
     * The code of the {@code error} event a client gets before a server-side close: the reason in
     * upper case ({@code SLOW_CONSUMER}, {@code SERVER_SHUTDOWN}), like every other code on the wire;
     * metrics and logs keep the lower-case {@link #code}.
     */
    public String errorCode() {
        return code.toUpperCase(Locale.ROOT);
    }
}
