package dev.herald.bench.client;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The two client protocols the generator speaks. Socket.IO authenticates in the CONNECT packet
 * ({@code 40{"token":…}}) after the Engine.IO open packet; /ws carries the token in the query and is
 * authenticated when the server's first frame, {@code connection_ready}, arrives.
 */
public enum Protocol {
    SOCKETIO, WS;

    public URI uri(String host, int port, String token) {
        return switch (this) {
            case SOCKETIO -> URI.create("ws://" + host + ":" + port + "/socket.io/?EIO=4&transport=websocket");
            case WS -> URI.create("ws://" + host + ":" + port + "/ws?token="
                    + URLEncoder.encode(token, StandardCharsets.UTF_8));
        };
    }

    public static Protocol parse(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "socketio", "socket.io", "sio" -> SOCKETIO;
            case "ws" -> WS;
            default -> throw new IllegalArgumentException("unknown protocol '" + s + "': use socketio or ws");
        };
    }
}
