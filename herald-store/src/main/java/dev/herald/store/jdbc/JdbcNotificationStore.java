package dev.herald.store.jdbc;

import dev.herald.core.notification.Delivery;
import dev.herald.core.notification.Notification;
import dev.herald.core.notification.NotificationIds;
import dev.herald.core.store.Idempotency;
import dev.herald.core.store.NotificationBatch;
import dev.herald.core.store.NotificationStore;
import dev.herald.core.store.Saved;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * {@link NotificationStore} over JDBC: a batch's inbox rows, outbox rows and idempotency key in one
 * transaction, shared with the saves that arrive at the same time ({@link GroupCommit}).
 */
public final class JdbcNotificationStore implements NotificationStore {
    /** Requests per group-commit transaction at most: big enough to amortise a flush, small enough to stay short. */
    private static final int MAX_SAVES_PER_TRANSACTION = 256;
    private static final String COLUMNS = NotificationRows.COLUMNS;
    private static final String VISIBLE = NotificationRows.VISIBLE;

    private final Database db;
    private final Dialect dialect;
    private final NotificationRows notifications;
    private final DeliveryRows deliveries;
    private final GroupCommit<SaveRequest, Saved> saves;

    private record SaveRequest(NotificationBatch batch, Idempotency idempotency, Instant now) {}

    public JdbcNotificationStore(Database db) {
        this.db = db;
        this.dialect = db.dialect();
        this.notifications = new NotificationRows(db);
        this.deliveries = new DeliveryRows(dialect, db.cipher());
        // Half the pool for batches of writes: reads (inbox pages, pending on connect) keep the rest.
        this.saves = new GroupCommit<>(Math.max(1, db.poolSize() / 2), MAX_SAVES_PER_TRANSACTION,
                take -> db.write(c -> saveBatch(c, take.get())),
                one -> db.write(c -> saveOne(c, one)));
    }

    @Override
    public Saved save(NotificationBatch batch, Idempotency idempotency, Instant now) {
        return saves.submit(new SaveRequest(batch, idempotency, now));
    }

    private Saved saveOne(Connection c, SaveRequest r) throws SQLException {
        if (r.idempotency() != null && !claimKey(c, r.idempotency(), r.batch().ids(), r.now())) {
            return replay(c, r.idempotency().key());
        }
        notifications.insert(c, r.batch().inbox());
        deliveries.insert(c, r.batch().deliveries());
        return saved(r);
    }

    private static Saved saved(SaveRequest r) {
        return new Saved(r.batch().ids(), r.batch().inbox(), false,
                r.idempotency() == null ? null : r.idempotency().fingerprint());
    }

    /**
     * Several saves in one transaction, in arrival order. Rows of consecutive saves without a key
     * go in one insert batch; a save with a key flushes what is pending first, so a later save
     * with the same key replays the earlier one exactly as it would in separate transactions.
     */
    private List<Saved> saveBatch(Connection c, List<SaveRequest> batch) throws SQLException {
        List<Saved> answers = new ArrayList<>(batch.size());
        List<Notification> inbox = new ArrayList<>();
        List<Delivery> outbox = new ArrayList<>();
        for (SaveRequest r : batch) {
            if (r.idempotency() == null) {
                inbox.addAll(r.batch().inbox());
                outbox.addAll(r.batch().deliveries());
                answers.add(saved(r));
                continue;
            }
            flush(c, inbox, outbox);
            answers.add(saveOne(c, r));
        }
        flush(c, inbox, outbox);
        return answers;
    }

    private void flush(Connection c, List<Notification> inbox, List<Delivery> outbox) throws SQLException {
        notifications.insert(c, inbox);
        deliveries.insert(c, outbox);
        inbox.clear();
        outbox.clear();
    }

    /** Inserts the key, or takes over an expired one; false when a live key already answered. */
    private boolean claimKey(Connection c, Idempotency key, List<String> ids, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO idempotency_keys (key, fingerprint, notification_ids, created_at, expires_at)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (key) DO UPDATE SET fingerprint = excluded.fingerprint,
                    notification_ids = excluded.notification_ids, created_at = excluded.created_at,
                    expires_at = excluded.expires_at
                WHERE idempotency_keys.expires_at <= ?""")) {
            ps.setString(1, key.key());
            ps.setString(2, key.fingerprint());
            ps.setString(3, String.join(",", ids));
            dialect.setInstant(ps, 4, now);
            dialect.setInstant(ps, 5, key.expiresAt());
            dialect.setInstant(ps, 6, now);
            return ps.executeUpdate() == 1;
        }
    }

    private Saved replay(Connection c, String key) throws SQLException {
        String fingerprint;
        List<String> ids;
        try (PreparedStatement ps = c.prepareStatement("SELECT fingerprint, notification_ids FROM idempotency_keys WHERE key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new SQLException("idempotency key vanished during replay");
                fingerprint = rs.getString(1);
                String joined = rs.getString(2);
                ids = joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
            }
        }
        return new Saved(ids, byIds(c, ids), true, fingerprint);
    }

    /** The inbox rows still stored of {@code ids}, in that order (a recipient may have none). */
    private List<Notification> byIds(Connection c, List<String> ids) throws SQLException {
        if (ids.isEmpty()) return List.of();
        String marks = String.join(", ", Collections.nCopies(ids.size(), dialect.uuidParameter()));
        List<Notification> found = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM notifications WHERE id IN (" + marks + ")")) {
            for (int i = 0; i < ids.size(); i++) ps.setString(i + 1, ids.get(i));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) found.add(notifications.row(rs));
            }
        }
        found.sort(Comparator.comparingInt(n -> ids.indexOf(n.id())));
        return found;
    }

    @Override
    public List<Notification> releaseDue(Instant now, int limit) {
        return db.write(c -> {
            List<Notification> released = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("UPDATE notifications SET status = 'pending' "
                    + "WHERE status = 'scheduled' AND id IN (SELECT id FROM notifications "
                    + "WHERE status = 'scheduled' AND" + VISIBLE + "ORDER BY created_at, id LIMIT ? "
                    + dialect.claimLocking() + ") RETURNING " + COLUMNS)) {
                int i = notifications.bindVisible(ps, 1, now);
                ps.setInt(i, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) released.add(notifications.row(rs));
                }
            }
            released.sort(Comparator.comparing(Notification::createdAt).thenComparing(Notification::id));
            return released;
        });
    }

    @Override
    public Optional<Notification> markDelivered(String recipientId, String id, Instant at) {
        if (!NotificationIds.isValid(id)) return Optional.empty();
        return updateOne("UPDATE notifications SET delivered_at = COALESCE(delivered_at, ?), "
                + "status = CASE WHEN status = 'pending' THEN 'delivered' ELSE status END "
                + "WHERE id = {uuid} AND recipient_id = ? AND" + VISIBLE + "RETURNING " + COLUMNS, recipientId, id, at);
    }

    @Override
    public Optional<Notification> markRead(String recipientId, String id, Instant at) {
        if (!NotificationIds.isValid(id)) return Optional.empty();
        return updateOne("UPDATE notifications SET read_at = COALESCE(read_at, ?), status = 'read' "
                + "WHERE id = {uuid} AND recipient_id = ? AND" + VISIBLE + "RETURNING " + COLUMNS, recipientId, id, at);
    }

    private Optional<Notification> updateOne(String text, String recipientId, String id, Instant at) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(db.sql(text))) {
                dialect.setInstant(ps, 1, at);
                ps.setString(2, id);
                ps.setString(3, recipientId);
                notifications.bindVisible(ps, 4, at);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(notifications.row(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<String> markAllRead(String recipientId, Instant at) {
        return db.write(c -> {
            List<String> changed = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("UPDATE notifications SET read_at = ?, status = 'read' "
                    + "WHERE recipient_id = ? AND read_at IS NULL AND" + VISIBLE + "RETURNING id")) {
                dialect.setInstant(ps, 1, at);
                ps.setString(2, recipientId);
                notifications.bindVisible(ps, 3, at);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) changed.add(rs.getString(1));
                }
            }
            return changed;
        });
    }

    @Override
    public boolean delete(String recipientId, String id) {
        if (!NotificationIds.isValid(id)) return false;
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(db.sql("DELETE FROM notifications WHERE id = {uuid} AND recipient_id = ?"))) {
                ps.setString(1, id);
                ps.setString(2, recipientId);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public int eraseUser(String userId) {
        return db.write(c -> {
            for (String table : List.of("delivery_log", "outbox", "rate_windows")) update(c, "DELETE FROM " + table + " WHERE recipient_id = ?", userId);
            int erased = update(c, "DELETE FROM notifications WHERE recipient_id = ?", userId);
            for (String table : List.of("notification_preferences", "user_contacts", "devices")) {
                update(c, "DELETE FROM " + table + " WHERE user_id = ?", userId);
            }
            return erased;
        });
    }

    private static int update(Connection c, String text, String parameter) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(text)) {
            ps.setString(1, parameter);
            return ps.executeUpdate();
        }
    }
}
