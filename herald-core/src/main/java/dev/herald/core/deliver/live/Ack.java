package dev.herald.core.deliver.live;

/** Answers one client event that asked for an acknowledgement; call at most once, from any thread. */
@FunctionalInterface
public interface Ack {
    /** @param json the single answer argument as JSON text */
    void reply(String json);
}
