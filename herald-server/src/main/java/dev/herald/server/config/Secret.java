package dev.herald.server.config;

/** A value that must never be printed: {@link #toString()} masks it. */
public record Secret(String value) {
    @Override
    public String toString() {
        return "****";
    }
}
