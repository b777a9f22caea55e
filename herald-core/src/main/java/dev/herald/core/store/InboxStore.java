package dev.herald.core.store;

/**
 * One storage backend seen through all its inbox ports, so the composition root opens and closes
 * one object. Consumers should depend on the narrow port they use.
 */
public interface InboxStore extends NotificationStore, InboxReader, InboxMaintenance, AutoCloseable {
    /** Releases connections; idempotent. */
    @Override
    void close();
}
