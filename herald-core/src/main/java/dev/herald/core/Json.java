package dev.herald.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The one JSON configuration payloads use: ISO-8601 instants, no failure on unknown fields. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper(factory())
            .findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private Json() {}

    /**
     * A JSON factory whose buffers are pooled across threads. Jackson's default pool is per
     * thread, and much of Herald's JSON is written on virtual threads, each new: every call then
     * allocated fresh 8 KB buffers (a profile of the handshake showed ~6 % of the CPU in
     * {@code createGenerator}). Every ObjectMapper of the server is built on one of these.
     */
    public static JsonFactory factory() {
        return JsonFactory.builder().recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build();
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serializable to JSON: " + value.getClass().getName(), e);
        }
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** {@code {"error":{"code":…,"message":…}}}, the error shape of every surface. */
    public static ObjectNode error(ErrorCode code, String message) {
        ObjectNode root = object();
        root.putObject("error").put("code", code.name()).put("message", message);
        return root;
    }

    /** Parses JSON text, refusing anything that is not JSON with INVALID_ARGUMENT naming {@code what}. */
    public static JsonNode parse(String text, String what) {
        try {
            JsonNode node = MAPPER.readTree(text);
            if (node == null || node.isMissingNode()) throw new HeraldException(ErrorCode.INVALID_ARGUMENT, what + " is empty");
            return node;
        } catch (JsonProcessingException e) {
            throw new HeraldException(ErrorCode.INVALID_ARGUMENT, what + " is not valid JSON");
        }
    }
}
