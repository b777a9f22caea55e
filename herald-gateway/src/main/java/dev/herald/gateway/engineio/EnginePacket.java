package dev.herald.gateway.engineio;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * One Engine.IO v4 packet: a type and either text or binary data (binary packets are always
 * messages). Over WebSocket a text packet is one text frame "&lt;type&gt;&lt;text&gt;" and a binary message is
 * a raw binary frame with no type byte; over polling packets are joined by \x1e and binary ones are
 * written "b&lt;base64&gt;".
 */
public final class EnginePacket {
    public enum Type {
        OPEN('0'), CLOSE('1'), PING('2'), PONG('3'), MESSAGE('4'), UPGRADE('5'), NOOP('6');

        final char code;

        Type(char code) {
            this.code = code;
        }

        static Type of(char c) {
            int i = c - '0';
            Type[] all = values();
            return i >= 0 && i < all.length ? all[i] : null;
        }
    }

    static final char SEPARATOR = '\u001e';

    public static final EnginePacket PING = new EnginePacket(Type.PING, "", null);
    public static final EnginePacket NOOP = new EnginePacket(Type.NOOP, "", null);
    public static final EnginePacket CLOSE = new EnginePacket(Type.CLOSE, "", null);

    private final Type type;
    private final String text;
    private final byte[] binary;
    // A broadcast packet is written to many sockets: its UTF-8 frame is computed once, then shared.
    private volatile byte[] utf8;

    public EnginePacket(Type type, String text, byte[] binary) {
        this.type = type;
        this.text = text == null ? "" : text;
        this.binary = binary;
    }

    public Type type() {
        return type;
    }

    public String text() {
        return text;
    }

    /** The data of a binary message, or null for text packets. */
    public byte[] binary() {
        return binary;
    }

    /** The text form as UTF-8 bytes ("&lt;type&gt;&lt;text&gt;"), cached; callers must not modify it. */
    public byte[] utf8() {
        byte[] b = utf8;
        if (b == null) {
            b = encodeText().getBytes(StandardCharsets.UTF_8);
            utf8 = b;
        }
        return b;
    }

    @Override
    public String toString() {
        return binary != null ? "EnginePacket[binary " + binary.length + "]" : "EnginePacket[" + type + " " + text + "]";
    }

    public static EnginePacket message(String text) {
        return new EnginePacket(Type.MESSAGE, text, null);
    }

    public static EnginePacket binary(byte[] data) {
        return new EnginePacket(Type.MESSAGE, "", data);
    }

    public boolean isBinary() {
        return binary != null;
    }

    /** The text form as a WebSocket text frame or a polling payload entry. */
    public String encodeText() {
        if (binary != null) return "b" + Base64.getEncoder().encodeToString(binary);
        return type.code + text;
    }

    /** Approximate wire size, for the outbound buffer bound. */
    int weight() {
        return binary != null ? binary.length * 4 / 3 + 2 : text.length() + 1;
    }

    /** Decodes one text frame or payload entry; {@code allowBase64} for polling payloads. */
    public static EnginePacket decodeText(String s, boolean allowBase64) {
        if (s.isEmpty()) throw new EngineProtocolException("empty packet");
        char c = s.charAt(0);
        if (c == 'b' && allowBase64) {
            try {
                return binary(Base64.getDecoder().decode(s.substring(1)));
            } catch (IllegalArgumentException e) {
                throw new EngineProtocolException("bad base64 packet");
            }
        }
        Type type = Type.of(c);
        if (type == null) throw new EngineProtocolException("unknown packet type");
        return new EnginePacket(type, s.substring(1), null);
    }

    /** Splits a polling POST body into packets. */
    public static List<EnginePacket> decodePayload(String payload) {
        List<EnginePacket> packets = new ArrayList<>();
        int start = 0;
        while (true) {
            int end = payload.indexOf(SEPARATOR, start);
            String part = end < 0 ? payload.substring(start) : payload.substring(start, end);
            packets.add(decodeText(part, true));
            if (end < 0) return packets;
            start = end + 1;
        }
    }

    /** Joins packets for one polling GET answer. */
    public static byte[] encodePayload(List<EnginePacket> packets) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < packets.size(); i++) {
            if (i > 0) sb.append(SEPARATOR);
            sb.append(packets.get(i).encodeText());
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
