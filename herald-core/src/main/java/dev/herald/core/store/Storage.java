package dev.herald.core.store;

import dev.herald.core.template.TemplateStore;
import java.util.Objects;

/**
 * Every storage port of one backend (memory, SQLite or PostgreSQL), so the composition root opens
 * and closes one thing and hands each part the narrow port it uses. The ports share the backend's
 * data: {@link NotificationStore#save} writes the outbox rows {@link OutboxStore} claims,
 * {@link OutboxStore#settle} appends to the {@link DeliveryLog} in the same transaction, and
 * {@link NotificationStore#eraseUser} erases what every other port holds about the user.
 *
 * @param resources what {@link #close} releases (the pool, the file)
 */
public record Storage(NotificationStore notifications, InboxReader inbox, InboxMaintenance maintenance,
                      OutboxStore outbox, DeliveryLog deliveryLog, PreferenceStore preferences, ContactStore contacts,
                      TemplateStore templates, RateCounter rates, AutoCloseable resources) implements AutoCloseable {
    public Storage {
        Objects.requireNonNull(notifications, "notifications");
        Objects.requireNonNull(inbox, "inbox");
        Objects.requireNonNull(maintenance, "maintenance");
        Objects.requireNonNull(outbox, "outbox");
        Objects.requireNonNull(deliveryLog, "deliveryLog");
        Objects.requireNonNull(preferences, "preferences");
        Objects.requireNonNull(contacts, "contacts");
        Objects.requireNonNull(templates, "templates");
        Objects.requireNonNull(rates, "rates");
        Objects.requireNonNull(resources, "resources");
    }

    @Override
    public void close() {
        try {
            resources.close();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("closing the store failed", e);
        }
    }
}
