package dev.herald.gateway.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.http.HttpRequest;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A client's CONNECT to a namespace, waiting for the application's answer. Set listeners on
 * {@link #socket()} first, then {@link #accept()}: the CONNECT reply goes out before anything the
 * socket emits afterwards. Only the first accept/reject counts; both are safe from any thread.
 */
public final class ConnectRequest {
    private final SioConnection connection;
    private final SioSocket socket;
    private final JsonNode auth;
    private final AtomicBoolean answered = new AtomicBoolean();

    ConnectRequest(SioConnection connection, SioSocket socket, JsonNode auth) {
        this.connection = connection;
        this.socket = socket;
        this.auth = auth;
    }

    /** The CONNECT payload ({} when the client sent none). */
    public JsonNode auth() {
        return auth;
    }

    public HttpRequest handshake() {
        return socket.handshake();
    }

    public SioSocket socket() {
        return socket;
    }

    public void accept() {
        if (!answered.compareAndSet(false, true)) return;
        connection.engine().execute(() -> connection.accept(socket));
    }

    /** Answers CONNECT_ERROR {"message":…, "data":…}; {@code data} may be null. */
    public void reject(String message, JsonNode data) {
        if (!answered.compareAndSet(false, true)) return;
        ObjectNode body = SioCodec.MAPPER.createObjectNode().put("message", message);
        if (data != null) body.set("data", data);
        connection.engine().execute(() -> connection.reject(socket, body));
    }
}
