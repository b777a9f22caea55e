package dev.herald.store.jdbc;

import dev.herald.core.notification.Contact;
import dev.herald.core.notification.Device;
import dev.herald.core.store.ContactStore;
import dev.herald.store.crypto.FieldCipher;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link ContactStore} over JDBC. A device registration is one upsert on the {@code (platform,
 * token)} key: a token another user had is taken over (new id, new owner), the same user's token
 * is left as it was, so concurrent registrations of one token on several nodes leave one row.
 */
public final class JdbcContactStore implements ContactStore {
    private static final String DEVICE_COLUMNS = "id, user_id, platform, token, p256dh, auth, created_at";

    private final Database db;
    private final Dialect dialect;
    private final FieldCipher cipher;

    public JdbcContactStore(Database db) {
        this.db = db;
        this.dialect = db.dialect();
        this.cipher = db.cipher();
    }

    @Override
    public Optional<Contact> contact(String userId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT user_id, email, phone, locale, timezone, webhook_url "
                    + "FROM user_contacts WHERE user_id = ?")) {
                ps.setString(1, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Optional.empty();
                    String zone = rs.getString("timezone");
                    return Optional.of(new Contact(rs.getString("user_id"),
                            cipher.open(rs.getString("email"), "user_contacts.email"),
                            cipher.open(rs.getString("phone"), "user_contacts.phone"),
                            rs.getString("locale"), zone == null ? null : ZoneId.of(zone),
                            cipher.open(rs.getString("webhook_url"), "user_contacts.webhook_url")));
                }
            }
        });
    }

    @Override
    public void putContact(Contact contact, Instant at) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO user_contacts "
                    + "(user_id, email, phone, locale, timezone, webhook_url, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                    + "ON CONFLICT (user_id) DO UPDATE SET email = excluded.email, phone = excluded.phone, "
                    + "locale = excluded.locale, timezone = excluded.timezone, webhook_url = excluded.webhook_url, "
                    + "updated_at = excluded.updated_at")) {
                ps.setString(1, contact.userId());
                ps.setString(2, cipher.seal(contact.email(), "user_contacts.email"));
                ps.setString(3, cipher.seal(contact.phone(), "user_contacts.phone"));
                ps.setString(4, contact.locale());
                ps.setString(5, contact.timezone() == null ? null : contact.timezone().getId());
                ps.setString(6, cipher.seal(contact.webhookUrl(), "user_contacts.webhook_url"));
                dialect.setInstant(ps, 7, at);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<Device> devices(String userId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + DEVICE_COLUMNS + " FROM devices "
                    + "WHERE user_id = ? ORDER BY created_at, id")) {
                ps.setString(1, userId);
                return readDevices(ps);
            }
        });
    }

    @Override
    public Device addDevice(Device d) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO devices (" + DEVICE_COLUMNS + ") "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (platform, token) DO UPDATE SET id = excluded.id, "
                    + "user_id = excluded.user_id, p256dh = excluded.p256dh, auth = excluded.auth, "
                    + "created_at = excluded.created_at WHERE devices.user_id <> excluded.user_id "
                    + "RETURNING " + DEVICE_COLUMNS)) {
                ps.setString(1, d.id());
                ps.setString(2, d.userId());
                ps.setString(3, d.platform().wire());
                ps.setString(4, d.token());
                ps.setString(5, d.p256dh());
                ps.setString(6, d.auth());
                dialect.setInstant(ps, 7, d.createdAt());
                List<Device> stored = readDevices(ps);
                // No row: the user had registered this token already, and keeps that device.
                return stored.isEmpty() ? byToken(c, d.platform(), d.token()) : stored.getFirst();
            }
        });
    }

    private Device byToken(Connection c, Device.Platform platform, String token) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + DEVICE_COLUMNS + " FROM devices WHERE platform = ? AND token = ?")) {
            ps.setString(1, platform.wire());
            ps.setString(2, token);
            return readDevices(ps).getFirst();
        }
    }

    @Override
    public boolean removeDevice(String userId, String deviceId) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM devices WHERE id = ? AND user_id = ?")) {
                ps.setString(1, deviceId);
                ps.setString(2, userId);
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public boolean removeToken(Device.Platform platform, String token) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM devices WHERE platform = ? AND token = ?")) {
                ps.setString(1, platform.wire());
                ps.setString(2, token);
                return ps.executeUpdate() > 0;
            }
        });
    }

    private List<Device> readDevices(PreparedStatement ps) throws SQLException {
        List<Device> devices = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                devices.add(new Device(rs.getString("id"), rs.getString("user_id"),
                        Device.Platform.fromWire(rs.getString("platform")), rs.getString("token"),
                        rs.getString("p256dh"), rs.getString("auth"), dialect.getInstant(rs, "created_at")));
            }
        }
        return devices;
    }
}
