package dev.herald.store.jdbc;

import dev.herald.core.notification.Notification;
import dev.herald.core.notification.NotificationStatus;
import dev.herald.core.notification.Priority;
import dev.herald.store.crypto.FieldCipher;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** The {@code notifications} table's columns, insert and row mapping, shared by the inbox adapters. */
final class NotificationRows {
    static final String COLUMNS = "id, recipient_id, actor_id, entity_type, entity_id, type, title, message, "
            + "channel, priority, status, data, created_at, scheduled_at, delivered_at, read_at, expires_at";
    /** Due and not expired; binds {@code now} twice. */
    static final String VISIBLE = " created_at <= ? AND (expires_at IS NULL OR expires_at > ?) ";

    private final Database db;
    private final Dialect dialect;
    private final FieldCipher cipher;

    NotificationRows(Database db) {
        this.db = db;
        this.dialect = db.dialect();
        this.cipher = db.cipher();
    }

    void insert(Connection c, List<Notification> notifications) throws SQLException {
        if (notifications.isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement(db.sql("INSERT INTO notifications (" + COLUMNS + ") "
                + "VALUES ({uuid}, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, {json}, ?, ?, ?, ?, ?)"))) {
            for (Notification n : notifications) {
                ps.setString(1, n.id());
                ps.setString(2, n.recipientId());
                ps.setString(3, n.actorId());
                ps.setString(4, n.entityType());
                ps.setString(5, n.entityId());
                ps.setString(6, n.type());
                ps.setString(7, cipher.seal(n.title(), "notifications.title"));
                ps.setString(8, cipher.seal(n.message(), "notifications.message"));
                ps.setString(9, n.channel());
                ps.setString(10, n.priority().wireName());
                ps.setString(11, n.status().wireName());
                ps.setString(12, cipher.sealJson(n.data(), "notifications.data"));
                dialect.setInstant(ps, 13, n.createdAt());
                dialect.setInstant(ps, 14, n.scheduledAt());
                dialect.setInstant(ps, 15, n.deliveredAt());
                dialect.setInstant(ps, 16, n.readAt());
                dialect.setInstant(ps, 17, n.expiresAt());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Binds {@link #VISIBLE} at {@code index}; returns the next index. */
    int bindVisible(PreparedStatement ps, int index, Instant now) throws SQLException {
        dialect.setInstant(ps, index, now);
        dialect.setInstant(ps, index + 1, now);
        return index + 2;
    }

    Notification row(ResultSet rs) throws SQLException {
        return new Notification(rs.getString("id"), rs.getString("recipient_id"), rs.getString("actor_id"),
                rs.getString("entity_type"), rs.getString("entity_id"), rs.getString("type"),
                cipher.open(rs.getString("title"), "notifications.title"),
                cipher.open(rs.getString("message"), "notifications.message"), rs.getString("channel"), Priority.parse(rs.getString("priority")),
                NotificationStatus.fromWire(rs.getString("status")),
                cipher.openJson(rs.getString("data"), "notifications.data"),
                dialect.getInstant(rs, "created_at"), dialect.getInstant(rs, "scheduled_at"),
                dialect.getInstant(rs, "delivered_at"), dialect.getInstant(rs, "read_at"),
                dialect.getInstant(rs, "expires_at"));
    }
}
