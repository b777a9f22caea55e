package dev.herald.channels.testing;

import java.util.HashMap;
import java.util.Map;

/**
 * One scripted answer of a push provider stand-in ({@link FcmServer}, {@link ApnsServer},
 * {@link PushService}): a status, a JSON body (null: the stand-in's own success body) and headers.
 */
public record PushAnswer(int status, String body, Map<String, String> headers) {
    public PushAnswer {
        headers = Map.copyOf(headers);
    }

    /** The provider's success answer. */
    public static PushAnswer ok() {
        return new PushAnswer(200, null, Map.of());
    }

    public static PushAnswer status(int status) {
        return new PushAnswer(status, "{}", Map.of());
    }

    public static PushAnswer status(int status, String body) {
        return new PushAnswer(status, body, Map.of());
    }

    public PushAnswer retryAfter(String value) {
        Map<String, String> more = new HashMap<>(headers);
        more.put("retry-after", value);
        return new PushAnswer(status, body, more);
    }

    public boolean success() {
        return body == null;
    }
}
