package dev.herald.store.jdbc;

import dev.herald.core.notification.DeliveryAttempt;
import dev.herald.core.notification.DeliveryStatus;
import dev.herald.core.store.DeliveryLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link DeliveryLog} over JDBC: one {@code delivery_log} row per attempt, listed in the order of
 * its generated key. Each row copies the delivery's target, so a notification's history outlives
 * its outbox rows.
 */
public final class JdbcDeliveryLog implements DeliveryLog {
    private static final String COLUMNS = "delivery_id, notification_id, recipient_id, type, channel, priority, kind, "
            + "digest_key, attempt, outcome, provider, latency_ms, error, at, provider_id, detail";

    private final Database db;
    private final Dialect dialect;

    public JdbcDeliveryLog(Database db) {
        this.db = db;
        this.dialect = db.dialect();
    }

    @Override
    public void append(DeliveryAttempt a) {
        db.write(c -> {
            insert(c, dialect, List.of(a));
            return null;
        });
    }

    /** Appends attempts in order on {@code c}, inside the caller's transaction (the outbox's settles). */
    static void insert(Connection c, Dialect dialect, List<DeliveryAttempt> attempts) throws SQLException {
        if (attempts.isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO delivery_log (" + COLUMNS + ") "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (DeliveryAttempt a : attempts) {
                ps.setString(1, a.deliveryId());
                ps.setString(2, a.target().notificationId());
                ps.setString(3, a.target().recipientId());
                ps.setString(4, a.target().type());
                ps.setString(5, a.target().channel().wire());
                ps.setString(6, a.target().priority().wireName());
                ps.setString(7, DeliveryRows.kind(a.target().kind()));
                ps.setString(8, a.target().digestKey());
                ps.setInt(9, a.attempt());
                ps.setString(10, a.outcome().wire());
                ps.setString(11, a.provider());
                ps.setLong(12, a.latency().toMillis());
                ps.setString(13, a.error());
                dialect.setInstant(ps, 14, a.at());
                ps.setString(15, a.providerId());
                ps.setString(16, a.detail());
                if (attempts.size() == 1) {
                    ps.executeUpdate();
                } else {
                    ps.addBatch();
                }
            }
            if (attempts.size() > 1) ps.executeBatch();
        }
    }

    @Override
    public List<DeliveryAttempt> ofNotification(String notificationId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM delivery_log "
                    + "WHERE notification_id = ? ORDER BY id")) {
                ps.setString(1, notificationId);
                List<DeliveryAttempt> attempts = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        attempts.add(new DeliveryAttempt(rs.getString("delivery_id"), DeliveryRows.target(rs),
                                rs.getInt("attempt"), DeliveryStatus.fromWire(rs.getString("outcome")),
                                rs.getString("provider"), Duration.ofMillis(rs.getLong("latency_ms")),
                                rs.getString("error"), dialect.getInstant(rs, "at"), rs.getString("provider_id"),
                                rs.getString("detail")));
                    }
                }
                return attempts;
            }
        });
    }
}
