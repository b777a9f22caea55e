package dev.herald.gateway.socketio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.Json;
import dev.herald.gateway.engineio.EnginePacket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Socket.IO v5 packet encoding: {@code <type>[<#attachments>-][<nsp>,][<ackId>][JSON]}. Binary
 * values anywhere in the JSON tree travel as attachments behind {"_placeholder":true,"num":n}.
 */
public final class SioCodec {
    public static final ObjectMapper MAPPER = new ObjectMapper(Json.factory())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int MAX_ACK_DIGITS = 15;
    private static final int MAX_ATTACHMENTS = 100;

    private SioCodec() {
    }

    // ---- decoding ------------------------------------------------------------------------------

    /** Parses one text packet; binary placeholders stay in place until {@link #reconstruct}. */
    public static SioPacket decode(String s) {
        if (s.isEmpty()) throw new SioProtocolException("empty packet");
        SioPacket.Type type = SioPacket.Type.of(s.charAt(0));
        if (type == null) throw new SioProtocolException("unknown packet type");
        int i = 1;
        int attachments = 0;
        if (type == SioPacket.Type.BINARY_EVENT || type == SioPacket.Type.BINARY_ACK) {
            int dash = s.indexOf('-', i);
            if (dash < 0 || dash == i || dash - i > 3) throw new SioProtocolException("bad attachment count");
            attachments = parseDigits(s, i, dash);
            if (attachments < 1 || attachments > MAX_ATTACHMENTS) throw new SioProtocolException("bad attachment count");
            i = dash + 1;
        }
        String nsp = "/";
        if (i < s.length() && s.charAt(i) == '/') {
            int comma = s.indexOf(',', i);
            int end = comma < 0 ? s.length() : comma;
            nsp = s.substring(i, end);
            i = comma < 0 ? end : comma + 1;
        }
        int digitsStart = i;
        while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
        long ackId = -1;
        if (i > digitsStart) {
            if (i - digitsStart > MAX_ACK_DIGITS) throw new SioProtocolException("bad ack id");
            ackId = Long.parseLong(s.substring(digitsStart, i));
        }
        JsonNode data = null;
        if (i < s.length()) {
            try {
                data = MAPPER.readTree(s.substring(i));
            } catch (JsonProcessingException e) {
                throw new SioProtocolException("invalid JSON payload");
            }
        }
        validate(type, ackId, data);
        return new SioPacket(type, nsp, ackId, data, attachments);
    }

    private static int parseDigits(String s, int from, int to) {
        int v = 0;
        for (int k = from; k < to; k++) {
            char c = s.charAt(k);
            if (c < '0' || c > '9') throw new SioProtocolException("bad attachment count");
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static void validate(SioPacket.Type type, long ackId, JsonNode data) {
        boolean ok = switch (type) {
            case CONNECT -> data == null || data.isObject();
            case DISCONNECT -> data == null;
            case EVENT, BINARY_EVENT -> data != null && data.isArray() && !data.isEmpty() && data.get(0).isTextual();
            case ACK, BINARY_ACK -> data != null && data.isArray() && ackId >= 0;
            case CONNECT_ERROR -> false; // only servers send it
        };
        if (!ok) throw new SioProtocolException("invalid payload for " + type);
    }

    /** Replaces every placeholder with its attachment; a placeholder that does not match fails. */
    public static JsonNode reconstruct(JsonNode node, List<byte[]> attachments) {
        if (node instanceof ObjectNode obj) {
            JsonNode flag = obj.get("_placeholder");
            if (flag != null && flag.asBoolean(false)) {
                JsonNode num = obj.get("num");
                if (num == null || !num.canConvertToInt() || num.asInt() < 0 || num.asInt() >= attachments.size()) {
                    throw new SioProtocolException("bad placeholder");
                }
                return BinaryNode.valueOf(attachments.get(num.asInt()));
            }
            for (var it = obj.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                e.setValue(reconstruct(e.getValue(), attachments));
            }
        } else if (node instanceof ArrayNode arr) {
            for (int k = 0; k < arr.size(); k++) arr.set(k, reconstruct(arr.get(k), attachments));
        }
        return node;
    }

    // ---- encoding ------------------------------------------------------------------------------

    /** Turns emit arguments into a JSON array; byte[], ByteBuffer (at any depth) become binary nodes. */
    public static ArrayNode toArray(String event, Object... args) {
        ArrayNode arr = NODES.arrayNode(args.length + 1);
        if (event != null) arr.add(event);
        for (Object a : args) arr.add(toNode(a));
        return arr;
    }

    public static JsonNode toNode(Object value) {
        return switch (value) {
            case null -> NODES.nullNode();
            case JsonNode n -> n;
            case byte[] b -> BinaryNode.valueOf(b);
            case ByteBuffer bb -> {
                ByteBuffer d = bb.duplicate();
                byte[] b = new byte[d.remaining()];
                d.get(b);
                yield BinaryNode.valueOf(b);
            }
            default -> MAPPER.valueToTree(value);
        };
    }

    /** Encodes a packet into Engine.IO messages: the text first, then one per attachment. */
    public static List<EnginePacket> encode(SioPacket.Type type, String nsp, long ackId, JsonNode data) {
        List<byte[]> attachments = new ArrayList<>();
        JsonNode payload = data;
        if (data != null && hasBinary(data)) payload = deconstruct(data.deepCopy(), attachments);
        if (!attachments.isEmpty()) {
            if (type == SioPacket.Type.EVENT) type = SioPacket.Type.BINARY_EVENT;
            else if (type == SioPacket.Type.ACK) type = SioPacket.Type.BINARY_ACK;
        }
        StringBuilder sb = new StringBuilder();
        sb.append(type.code());
        if (!attachments.isEmpty()) sb.append(attachments.size()).append('-');
        if (!"/".equals(nsp)) sb.append(nsp).append(',');
        if (ackId >= 0) sb.append(ackId);
        if (payload != null) sb.append(payload);
        if (attachments.isEmpty()) return List.of(EnginePacket.message(sb.toString()));
        List<EnginePacket> out = new ArrayList<>(attachments.size() + 1);
        out.add(EnginePacket.message(sb.toString()));
        for (byte[] a : attachments) out.add(EnginePacket.binary(a));
        return out;
    }

    /** The prefix of an EVENT packet for a namespace: "2" or "2/nsp,". */
    public static String eventPrefix(String nsp) {
        return "/".equals(nsp) ? "2" : "2" + nsp + ",";
    }

    private static boolean hasBinary(JsonNode node) {
        if (node.isBinary()) return true;
        if (node.isContainerNode()) {
            for (JsonNode child : node) if (hasBinary(child)) return true;
        }
        return false;
    }

    private static JsonNode deconstruct(JsonNode node, List<byte[]> attachments) {
        if (node instanceof BinaryNode bin) {
            ObjectNode placeholder = NODES.objectNode();
            placeholder.put("_placeholder", true);
            placeholder.put("num", attachments.size());
            attachments.add(bin.binaryValue());
            return placeholder;
        }
        if (node instanceof ObjectNode obj) {
            for (var it = obj.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                e.setValue(deconstruct(e.getValue(), attachments));
            }
        } else if (node instanceof ArrayNode arr) {
            for (int k = 0; k < arr.size(); k++) arr.set(k, deconstruct(arr.get(k), attachments));
        }
        return node;
    }

    public static String quote(String s) {
        try {
            return MAPPER.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
