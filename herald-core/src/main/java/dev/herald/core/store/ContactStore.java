package dev.herald.core.store;

import dev.herald.core.notification.Contact;
import dev.herald.core.notification.Device;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where users are reached outside the app: one contact per user and their push devices.
 * Implementations: MemoryContactStore (reference), the SQLite and PostgreSQL stores.
 *
 * <p>Guarantees: every method is atomic and durable when it returns. A device token belongs to one
 * user at a time: registering a token another user had moves it (a phone changed hands), and
 * registering the same token twice keeps one device with its first id. Erasure goes through
 * {@link NotificationStore#eraseUser}. Threading: thread-safe and blocking; call from virtual threads.
 */
public interface ContactStore {
    Optional<Contact> contact(String userId);

    /** Replaces the user's contact. */
    void putContact(Contact contact, Instant at);

    /** The user's devices, oldest first (by {@code createdAt}, then id). */
    List<Device> devices(String userId);

    /** Registers the device (see the class comment for tokens seen before); returns the device as stored. */
    Device addDevice(Device device);

    /** Removes one of the user's devices; false when the user has no such device. */
    boolean removeDevice(String userId, String deviceId);

    /** Removes a token wherever it is registered (the provider said it is gone); false when unknown. */
    boolean removeToken(Device.Platform platform, String token);
}
