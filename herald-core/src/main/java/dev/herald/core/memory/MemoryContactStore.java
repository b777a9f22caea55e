package dev.herald.core.memory;

import dev.herald.core.notification.Contact;
import dev.herald.core.notification.Device;
import dev.herald.core.store.ContactStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The in-memory contacts and devices: the reference behaviour of {@link ContactStore}. */
public final class MemoryContactStore implements ContactStore {
    private final Map<String, Contact> contacts = new HashMap<>();
    private final Map<String, Device> devices = new LinkedHashMap<>();

    @Override
    public synchronized Optional<Contact> contact(String userId) {
        return Optional.ofNullable(contacts.get(userId));
    }

    @Override
    public synchronized void putContact(Contact contact, Instant at) {
        contacts.put(contact.userId(), contact);
    }

    @Override
    public synchronized List<Device> devices(String userId) {
        return devices.values().stream().filter(d -> d.userId().equals(userId))
                .sorted(Comparator.comparing(Device::createdAt).thenComparing(Device::id)).toList();
    }

    @Override
    public synchronized Device addDevice(Device device) {
        Optional<Device> same = devices.values().stream()
                .filter(d -> d.platform() == device.platform() && d.token().equals(device.token())).findFirst();
        if (same.isPresent()) {
            if (same.get().userId().equals(device.userId())) return same.get();
            devices.remove(same.get().id());
        }
        devices.put(device.id(), device);
        return device;
    }

    @Override
    public synchronized boolean removeDevice(String userId, String deviceId) {
        Device d = devices.get(deviceId);
        if (d == null || !d.userId().equals(userId)) return false;
        devices.remove(deviceId);
        return true;
    }

    @Override
    public synchronized boolean removeToken(Device.Platform platform, String token) {
        List<String> ids = new ArrayList<>();
        devices.values().stream().filter(d -> d.platform() == platform && d.token().equals(token)).forEach(d -> ids.add(d.id()));
        ids.forEach(devices::remove);
        return !ids.isEmpty();
    }

    synchronized void eraseUser(String userId) {
        contacts.remove(userId);
        devices.values().removeIf(d -> d.userId().equals(userId));
    }
}
