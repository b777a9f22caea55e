package dev.herald.broker;

import dev.herald.core.deliver.live.DisconnectReason;
import dev.herald.core.route.RoomMessage;
import java.util.HashSet;
import java.util.Set;

/**
 * The wire form of a {@link RoomMessage} between nodes: a small length-prefixed text, so the event's
 * JSON argument travels verbatim (no escaping, no re-serialisation) and decoding is one pass.
 *
 * <pre>
 *   Emit:       'E' len(event) ':' event  count ':' ( len(id) ':' id )*  json
 *   Disconnect: 'D' len(code) ':' code  len(message) ':' message  count ':' ( len(socketId) ':' socketId )*
 *   EmitWithAck:'A' len(event) ':' event  count ':' ( len(id) ':' id )*  len(replyRoom) ':' replyRoom  timeoutMs ':'  json
 *   Acks:       'R' recipients ':'  count ':' ( len(json) ':' json )*
 * </pre>
 * Lengths are decimal counts of UTF-16 chars (the transports carry UTF-8 text; both ends decode it
 * to the same string). The JSON argument is the rest of the frame, so it needs no length.
 * Example: {@code E12:notification2:2:u12:u2{"x":1}}.
 */
public final class RoomMessageCodec {
    private RoomMessageCodec() {}

    public static String encode(RoomMessage message) {
        return switch (message) {
            case RoomMessage.Emit e -> {
                StringBuilder sb = new StringBuilder(e.event().length() + e.json().length() + 16);
                sb.append('E').append(e.event().length()).append(':').append(e.event());
                sb.append(e.excludeUserIds().size()).append(':');
                for (String id : e.excludeUserIds()) string(sb, id);
                yield sb.append(e.json()).toString();
            }
            case RoomMessage.Disconnect d -> {
                StringBuilder sb = new StringBuilder(64).append('D');
                string(sb, d.reason().code());
                string(sb, d.reason().message());
                sb.append(d.socketIds().size()).append(':');
                for (String id : d.socketIds()) string(sb, id);
                yield sb.toString();
            }
            case RoomMessage.EmitWithAck e -> {
                StringBuilder sb = new StringBuilder(e.event().length() + e.json().length() + 64).append('A');
                string(sb, e.event());
                sb.append(e.excludeUserIds().size()).append(':');
                for (String id : e.excludeUserIds()) string(sb, id);
                string(sb, e.replyRoom());
                yield sb.append(e.timeoutMillis()).append(':').append(e.json()).toString();
            }
            case RoomMessage.Acks a -> {
                StringBuilder sb = new StringBuilder(32).append('R').append(a.recipients()).append(':');
                sb.append(a.responses().size()).append(':');
                for (String json : a.responses()) string(sb, json);
                yield sb.toString();
            }
        };
    }

    /** @throws IllegalArgumentException when the frame is not one {@link #encode} makes */
    public static RoomMessage decode(String frame) {
        if (frame == null || frame.isEmpty()) throw new IllegalArgumentException("empty room message");
        char kind = frame.charAt(0);
        if (kind == 'D') return decodeDisconnect(new Cursor(frame, 1));
        if (kind == 'A') return decodeEmitWithAck(new Cursor(frame, 1));
        if (kind == 'R') return decodeAcks(new Cursor(frame, 1));
        if (kind != 'E') throw new IllegalArgumentException("unknown room message kind");
        Cursor c = new Cursor(frame, 1);
        String event = c.string();
        int count = c.number();
        Set<String> excluded = count == 0 ? Set.of() : new HashSet<>(Math.min(count, 64) * 2);
        for (int i = 0; i < count; i++) excluded.add(c.string());
        String json = frame.substring(c.pos);
        if (json.isEmpty()) throw new IllegalArgumentException("room message without a JSON argument");
        return new RoomMessage.Emit(event, json, excluded);
    }

    private static void string(StringBuilder sb, String value) {
        sb.append(value.length()).append(':').append(value);
    }

    private static RoomMessage.EmitWithAck decodeEmitWithAck(Cursor c) {
        String event = c.string();
        int count = c.number();
        Set<String> excluded = new HashSet<>();
        for (int i = 0; i < count; i++) excluded.add(c.string());
        String replyRoom = c.string();
        long timeout = c.number();
        String json = c.s.substring(c.pos);
        if (json.isEmpty()) throw new IllegalArgumentException("room message without a JSON argument");
        return new RoomMessage.EmitWithAck(event, json, excluded, replyRoom, timeout);
    }

    private static RoomMessage.Acks decodeAcks(Cursor c) {
        int recipients = c.number();
        int count = c.number();
        if (count > recipients) throw new IllegalArgumentException("more acks than recipients");
        java.util.List<String> responses = new java.util.ArrayList<>(Math.min(count, 1024));
        for (int i = 0; i < count; i++) responses.add(c.string());
        if (c.pos != c.s.length()) throw new IllegalArgumentException("trailing bytes in acks message");
        return new RoomMessage.Acks(recipients, responses);
    }

    private static RoomMessage.Disconnect decodeDisconnect(Cursor c) {
        DisconnectReason reason = new DisconnectReason(c.string(), c.string());
        int count = c.number();
        Set<String> sockets = new HashSet<>();
        for (int i = 0; i < count; i++) sockets.add(c.string());
        if (c.pos != c.s.length()) throw new IllegalArgumentException("trailing bytes in disconnect message");
        return new RoomMessage.Disconnect(reason, sockets);
    }

    private static final class Cursor {
        private final String s;
        private int pos;

        Cursor(String s, int pos) {
            this.s = s;
            this.pos = pos;
        }

        int number() {
            int start = pos;
            long n = 0;
            while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
                n = n * 10 + (s.charAt(pos++) - '0');
                if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("length out of range in room message");
            }
            if (pos == start || pos >= s.length() || s.charAt(pos) != ':')
                throw new IllegalArgumentException("bad length in room message");
            pos++;
            return (int) n;
        }

        String string() {
            int len = number();
            if (len > s.length() - pos) throw new IllegalArgumentException("truncated room message");
            String out = s.substring(pos, pos + len);
            pos += len;
            return out;
        }
    }
}
