package dev.herald.core;

import java.util.Objects;

/** A refusal with a code the client can act on; its message is safe to show (never holds secrets). */
public class HeraldException extends RuntimeException {
    private final ErrorCode code;

    public HeraldException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = Objects.requireNonNull(code);
    }

    public HeraldException(ErrorCode code, String message, Throwable cause) {
        super(message, cause, false, false);
        this.code = Objects.requireNonNull(code);
    }

    public ErrorCode code() {
        return code;
    }
}
