package dev.herald.core.inbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.notification.Contact;
import dev.herald.core.notification.Device;
import dev.herald.core.notification.Preferences;
import dev.herald.core.notification.WebhookUrls;
import dev.herald.core.store.ContactStore;
import dev.herald.core.store.PreferenceStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * What a user sets about how they are reached: preferences, contact and push devices (DESIGN §5),
 * for REST and the socket's {@code updatePreferences} alike. Input is JSON, checked by
 * {@link PreferencesJson} and {@link ContactJson}; nothing is stored unless all of it is valid.
 *
 * <p>A user who never set preferences has {@link Preferences#defaults()} (everything on), one who
 * never gave a contact {@link Contact#none}. Quiet hours given without a time zone take the
 * contact's, else UTC. A PATCH reads, merges and writes: two concurrent patches of one user are
 * last-writer-wins, as {@link PreferenceStore} says.
 *
 * <p>Threading: blocking (the stores); call from virtual threads. Thread-safe.
 */
public final class UserSettings {
    /** A device as stored, and whether this call registered it (false: the token was already the user's). */
    public record Registered(Device device, boolean created) {}

    private final PreferenceStore preferences;
    private final ContactStore contacts;
    private final WebhookUrls webhookUrls;
    private final Clock clock;

    public UserSettings(PreferenceStore preferences, ContactStore contacts, WebhookUrls webhookUrls, Clock clock) {
        this.preferences = Objects.requireNonNull(preferences, "preferences");
        this.contacts = Objects.requireNonNull(contacts, "contacts");
        this.webhookUrls = Objects.requireNonNull(webhookUrls, "webhookUrls");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Preferences preferences(String userId) {
        return preferences.find(userId).orElseGet(Preferences::defaults);
    }

    /** Replaces the user's preferences with {@code body} (PUT); what it leaves out is the default. */
    public Preferences replacePreferences(String userId, JsonNode body) {
        Preferences p = PreferencesJson.parse(body, defaultZone(userId));
        preferences.put(userId, p, clock.instant());
        return p;
    }

    /** Merges {@code patch} into the user's preferences (PATCH, {@code updatePreferences}). */
    public Preferences updatePreferences(String userId, JsonNode patch) {
        Preferences p = PreferencesJson.merge(preferences(userId), patch, defaultZone(userId));
        preferences.put(userId, p, clock.instant());
        return p;
    }

    private ZoneId defaultZone(String userId) {
        ZoneId zone = contact(userId).timezone();
        return zone == null ? ZoneOffset.UTC : zone;
    }

    public Contact contact(String userId) {
        return contacts.contact(userId).orElseGet(() -> Contact.none(userId));
    }

    /** Replaces the user's contact with {@code body} (PUT): a field left out is cleared. */
    public Contact replaceContact(String userId, JsonNode body) {
        Contact c = ContactJson.parseContact(userId, body, webhookUrls);
        contacts.putContact(c, clock.instant());
        return c;
    }

    public List<Device> devices(String userId) {
        return contacts.devices(userId);
    }

    /** Registers a push device; a token the user registered before keeps its first id. */
    public Registered addDevice(String userId, JsonNode body) {
        Instant now = clock.instant();
        Device d = ContactJson.parseDevice(userId, body, UUID.randomUUID().toString(), now);
        Device stored = contacts.addDevice(d);
        return new Registered(stored, stored.id().equals(d.id()));
    }

    /** Removes one of the user's devices; another user's device or an unknown id is {@code NOT_FOUND}. */
    public void removeDevice(String userId, String deviceId) {
        if (!contacts.removeDevice(userId, deviceId)) throw new HeraldException(ErrorCode.NOT_FOUND, "device not found");
    }
}
