package dev.herald.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The one JSON configuration payloads use: ISO-8601 instants, no failure on unknown fields. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private Json() {}

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
