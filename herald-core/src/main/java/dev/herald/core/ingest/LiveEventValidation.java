package dev.herald.core.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.Json;
import dev.herald.core.Text;
import dev.herald.core.deliver.live.OutboundEvent;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** The input rules of {@link LiveEvents}, kept apart so each refusal reads as one line. */
final class LiveEventValidation {
    private static final Pattern EVENT_NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    static final int MAX_ID_CHARS = 256;
    static final int MAX_REASON_CHARS = 512;

    private static final ObjectMapper JSON = new ObjectMapper(Json.factory())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private LiveEventValidation() {
    }

    static void eventName(String event) {
        if (event == null || !EVENT_NAME.matcher(event).matches()) {
            throw new HeraldException(ErrorCode.INVALID_EVENT_TYPE,
                    "event_type must be 1-64 characters of letters, digits and _ . : -");
        }
        if (OutboundEvent.RESERVED_NAMES.contains(event)) {
            throw new HeraldException(ErrorCode.INVALID_EVENT_TYPE, "event_type '" + event + "' is reserved by Socket.IO");
        }
    }

    /** Returns the payload to send: the text as given, or {@code null} JSON when it is blank. */
    static String payload(String json, int maxBytes) {
        if (json == null || json.isBlank()) return "null";
        // A UTF-8 char is at most 3 bytes per UTF-16 unit: skip the byte count when it cannot exceed.
        if ((long) json.length() * 3 > maxBytes && json.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            throw new HeraldException(ErrorCode.PAYLOAD_TOO_LARGE, "payload_json is larger than " + maxBytes + " bytes");
        }
        try {
            // The payload is JSON text: "\u0000" inside it is as bad as a raw NUL (see Text).
            Text.requireTree("payload_json", JSON.readTree(json));
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "payload_json is not valid JSON"
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        }
        return json;
    }

    static String id(String what, String value) {
        if (value == null || value.isBlank()) throw new HeraldException(ErrorCode.INVALID_ARGUMENT, what + " is required");
        if (value.length() > MAX_ID_CHARS) {
            throw new HeraldException(ErrorCode.INVALID_ARGUMENT, what + " is longer than " + MAX_ID_CHARS + " characters");
        }
        return Text.require(what, value);
    }

    static String reason(String reason) {
        if (reason != null && reason.length() > MAX_REASON_CHARS) {
            throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "reason is longer than " + MAX_REASON_CHARS + " characters");
        }
        return reason;
    }
}
