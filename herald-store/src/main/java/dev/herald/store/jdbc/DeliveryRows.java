package dev.herald.store.jdbc;

import dev.herald.core.notification.Channel;
import dev.herald.core.notification.Delivery;
import dev.herald.core.notification.DeliveryStatus;
import dev.herald.core.notification.Priority;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import dev.herald.store.crypto.FieldCipher;
import java.util.Locale;

/** The {@code outbox} table's columns, insert and row mapping. */
final class DeliveryRows {
    static final String COLUMNS = "id, notification_id, recipient_id, type, channel, priority, kind, digest_key, "
            + "status, reason, attempts, due_at, claimed_until, payload, created_at, updated_at";
    /** Still in the outbox (pending or held). */
    static final String WAITING = " status IN ('pending', 'held') ";
    /** Unclaimed or with a lapsed lease; binds {@code now} once. */
    static final String UNLEASED = " (claimed_until IS NULL OR claimed_until <= ?) ";

    private final Dialect dialect;
    private final FieldCipher cipher;

    /** @param cipher seals the payload: it carries the rendered title and message */
    DeliveryRows(Dialect dialect, FieldCipher cipher) {
        this.dialect = dialect;
        this.cipher = cipher;
    }

    void insert(Connection c, List<Delivery> deliveries) throws SQLException {
        if (deliveries.isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbox (" + COLUMNS + ") "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Delivery d : deliveries) {
                Delivery.Target t = d.target();
                Delivery.State s = d.state();
                ps.setString(1, d.id());
                ps.setString(2, t.notificationId());
                ps.setString(3, t.recipientId());
                ps.setString(4, t.type());
                ps.setString(5, t.channel().wire());
                ps.setString(6, t.priority().wireName());
                ps.setString(7, kind(t.kind()));
                ps.setString(8, t.digestKey());
                ps.setString(9, s.status().wire());
                ps.setString(10, s.reason());
                ps.setInt(11, s.attempts());
                dialect.setInstant(ps, 12, s.dueAt());
                dialect.setInstant(ps, 13, s.claimedUntil());
                ps.setString(14, cipher.seal(d.payload(), "outbox.payload"));
                dialect.setInstant(ps, 15, d.createdAt());
                dialect.setInstant(ps, 16, s.updatedAt());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    static String kind(Delivery.Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    static Delivery.Target target(ResultSet rs) throws SQLException {
        return new Delivery.Target(rs.getString("notification_id"), rs.getString("recipient_id"), rs.getString("type"),
                Channel.parse("channel", rs.getString("channel")), Priority.parse(rs.getString("priority")),
                Delivery.Kind.valueOf(rs.getString("kind").toUpperCase(Locale.ROOT)), rs.getString("digest_key"));
    }

    Delivery row(ResultSet rs) throws SQLException {
        Delivery.State state = new Delivery.State(DeliveryStatus.fromWire(rs.getString("status")), rs.getString("reason"),
                rs.getInt("attempts"), dialect.getInstant(rs, "due_at"), dialect.getInstant(rs, "claimed_until"),
                dialect.getInstant(rs, "updated_at"));
        return new Delivery(rs.getString("id"), target(rs), state, cipher.open(rs.getString("payload"), "outbox.payload"), dialect.getInstant(rs, "created_at"));
    }
}
