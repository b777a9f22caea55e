package dev.herald.store.jdbc;

import dev.herald.core.inbox.InboxPage;
import dev.herald.core.inbox.InboxQuery;
import dev.herald.core.inbox.SyncCursor;
import dev.herald.core.inbox.SyncPage;
import dev.herald.core.notification.Notification;
import dev.herald.core.notification.NotificationIds;
import dev.herald.core.store.InboxReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link InboxReader} over JDBC; the statements QUERY-PLANS.md measures. */
public final class JdbcInboxReader implements InboxReader {
    private static final String COLUMNS = NotificationRows.COLUMNS;
    private static final String VISIBLE = NotificationRows.VISIBLE;

    private final Database db;
    private final Dialect dialect;
    private final NotificationRows notifications;

    public JdbcInboxReader(Database db) {
        this.db = db;
        this.dialect = db.dialect();
        this.notifications = new NotificationRows(db);
    }

    @Override
    public InboxPage page(InboxQuery q) {
        StringBuilder filters = new StringBuilder();
        List<String> values = new ArrayList<>();
        if (q.unreadOnly()) filters.append(" AND read_at IS NULL");
        if (q.channel() != null) {
            filters.append(" AND channel = ?");
            values.add(q.channel());
        }
        if (q.type() != null) {
            filters.append(" AND type = ?");
            values.add(q.type());
        }
        String where = " FROM notifications WHERE recipient_id = ? AND" + VISIBLE;
        return db.read(c -> {
            List<Notification> items = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + where + filters
                    + " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?")) {
                int i = bindInbox(ps, q.recipientId(), q.now(), values);
                ps.setInt(i++, q.limit());
                ps.setLong(i, q.offset());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) items.add(notifications.row(rs));
                }
            }
            // A first page that is not full holds the whole match: its size is the total. This
            // spares the count on every connect of a user with few unread (notifications:pending).
            long total = q.offset() == 0 && items.size() < q.limit() ? items.size()
                    : count(c, "SELECT count(*)" + where + filters, q, values);
            long unread = q.unreadOnly() && values.isEmpty() ? total
                    : count(c, "SELECT count(*)" + where + " AND read_at IS NULL", q, List.of());
            return new InboxPage(items, total, unread, q.page(), q.limit());
        });
    }

    private int bindInbox(PreparedStatement ps, String recipientId, Instant now, List<String> values) throws SQLException {
        ps.setString(1, recipientId);
        int i = notifications.bindVisible(ps, 2, now);
        for (String v : values) ps.setString(i++, v);
        return i;
    }

    private long count(Connection c, String text, InboxQuery q, List<String> values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(text)) {
            bindInbox(ps, q.recipientId(), q.now(), values);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Override
    public List<Notification> allOf(String recipientId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM notifications WHERE recipient_id = ? ORDER BY created_at, id")) {
                ps.setString(1, recipientId);
                try (ResultSet rs = ps.executeQuery()) {
                    List<Notification> all = new ArrayList<>();
                    while (rs.next()) all.add(notifications.row(rs));
                    return all;
                }
            }
        });
    }

    @Override
    public Optional<Notification> find(String recipientId, String id, Instant now) {
        if (!NotificationIds.isValid(id)) return Optional.empty();
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(db.sql("SELECT " + COLUMNS
                    + " FROM notifications WHERE id = {uuid} AND recipient_id = ? AND" + VISIBLE))) {
                ps.setString(1, id);
                ps.setString(2, recipientId);
                notifications.bindVisible(ps, 3, now);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(notifications.row(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public SyncPage after(String recipientId, SyncCursor cursor, int limit, Instant now) {
        if (limit < 1 || limit > 1000) throw new IllegalArgumentException("limit must be 1..1000, was " + limit);
        return db.read(c -> {
            List<Notification> items = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(db.sql("SELECT " + COLUMNS + " FROM notifications "
                    + "WHERE recipient_id = ? AND (created_at, id) > (?, {uuid}) AND" + VISIBLE
                    + "ORDER BY created_at, id LIMIT ?"))) {
                ps.setString(1, recipientId);
                dialect.setInstant(ps, 2, cursor.time());
                ps.setString(3, cursor.id());
                int i = notifications.bindVisible(ps, 4, now);
                ps.setInt(i, limit + 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) items.add(notifications.row(rs));
                }
            }
            boolean more = items.size() > limit;
            return new SyncPage(more ? items.subList(0, limit) : items, more);
        });
    }

    @Override
    public Optional<Instant> nextScheduledAt(Instant now) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT min(created_at) AS due FROM notifications "
                    + "WHERE status = 'scheduled' AND (expires_at IS NULL OR expires_at > ?)")) {
                dialect.setInstant(ps, 1, now);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(dialect.getInstant(rs, "due")) : Optional.empty();
                }
            }
        });
    }
}
