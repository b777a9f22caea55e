package dev.herald.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.inbox.InboxPage;
import dev.herald.core.inbox.InboxQuery;
import dev.herald.core.inbox.SyncCursor;
import dev.herald.core.inbox.SyncPage;
import dev.herald.core.notification.Notification;
import dev.herald.core.notification.NotificationIds;
import dev.herald.core.notification.NotificationStatus;
import dev.herald.core.notification.Priority;
import dev.herald.core.store.Idempotency;
import dev.herald.core.store.InboxStore;
import dev.herald.core.store.PurgeResult;
import dev.herald.core.store.Saved;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The inbox over plain JDBC, one SQL text for both dialects. The dialects differ only where a
 * subclass says so: how an instant and a uuid/json parameter are bound and read, how writers are
 * serialized, and how due rows are claimed. Every write is one transaction.
 *
 * <p>Statement texts use {@code {id}} for a notification-id parameter and {@code {json}} for a
 * JSON parameter, which {@link #sql} turns into the dialect's placeholder.
 */
public abstract class JdbcInboxStore implements InboxStore {
    private static final String VISIBLE = " created_at <= ? AND (expires_at IS NULL OR expires_at > ?) ";
    private static final String COLUMNS = "id, recipient_id, actor_id, entity_type, entity_id, type, title, message, "
            + "channel, priority, status, data, created_at, scheduled_at, delivered_at, read_at, expires_at";
    private static final int PURGE_BATCH = 1000;

    protected final DataSource dataSource;
    private final PooledConnections connections;

    private final GroupCommit<SaveRequest, Saved> saves;

    /** Requests per group-commit transaction at most: big enough to amortise a flush, small enough to stay short. */
    private static final int MAX_SAVES_PER_TRANSACTION = 256;

    private record SaveRequest(List<Notification> notifications, Idempotency idempotency, Instant now) {}

    protected JdbcInboxStore(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        int pool = dataSource.getMaximumPoolSize();
        this.connections = new PooledConnections(dataSource, pool);
        // Half the pool for batches of writes: reads (inbox pages, pending on connect) keep the rest.
        this.saves = new GroupCommit<>(Math.max(1, pool / 2), MAX_SAVES_PER_TRANSACTION,
                batch -> inWriteTransaction(c -> saveBatch(c, batch)),
                one -> inWriteTransaction(c -> saveOne(c, one)));
    }

    /** Binds an instant (null allowed). */
    protected abstract void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException;

    /** Reads an instant column (null allowed). */
    protected abstract Instant getInstant(ResultSet rs, String column) throws SQLException;

    /** The placeholder for a notification-id parameter. */
    protected abstract String idParameter();

    /** The placeholder for a JSON parameter. */
    protected abstract String jsonParameter();

    /** What follows the claim sub-select so concurrent claimers skip each other's rows ("" if writers are serial). */
    protected abstract String claimLocking();

    /** Runs one write transaction; a dialect with a single writer serializes here. */
    protected <T> T inWriteTransaction(SqlWork<T> work) {
        return inTransaction(work);
    }

    @FunctionalInterface
    protected interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    protected final <T> T inTransaction(SqlWork<T> work) {
        return connections.inTransaction(work);
    }

    protected final <T> T read(SqlWork<T> work) {
        return connections.read(work);
    }

    protected final String sql(String text) {
        return text.replace("{id}", idParameter()).replace("{json}", jsonParameter());
    }

    /** Shares its transaction with the saves that arrive at the same time ({@link GroupCommit}). */
    @Override
    public Saved saveAll(List<Notification> notifications, Idempotency idempotency, Instant now) {
        return saves.submit(new SaveRequest(List.copyOf(notifications), idempotency, now));
    }

    private Saved saveOne(Connection c, SaveRequest r) throws SQLException {
        if (r.idempotency() != null && !claimKey(c, r.idempotency(), r.notifications(), r.now())) return replay(c, r.idempotency().key());
        insert(c, r.notifications());
        return saved(r);
    }

    private static Saved saved(SaveRequest r) {
        return new Saved(r.notifications().stream().map(Notification::id).toList(), r.notifications(), false,
                r.idempotency() == null ? null : r.idempotency().fingerprint());
    }

    /**
     * Several saves in one transaction, in arrival order. Rows of consecutive saves without a key
     * go in one insert batch; a save with a key flushes what is pending first, so a later save
     * with the same key replays the earlier one exactly as it would in separate transactions.
     */
    private List<Saved> saveBatch(Connection c, List<SaveRequest> batch) throws SQLException {
        List<Saved> answers = new ArrayList<>(batch.size());
        List<Notification> pending = new ArrayList<>();
        for (SaveRequest r : batch) {
            if (r.idempotency() == null) {
                pending.addAll(r.notifications());
                answers.add(saved(r));
                continue;
            }
            insert(c, pending);
            pending.clear();
            answers.add(saveOne(c, r));
        }
        insert(c, pending);
        return answers;
    }

    /** Inserts the key, or takes over an expired one; false when a live key already answered. */
    private boolean claimKey(Connection c, Idempotency key, List<Notification> notifications, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO idempotency_keys (key, fingerprint, notification_ids, created_at, expires_at)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (key) DO UPDATE SET fingerprint = excluded.fingerprint,
                    notification_ids = excluded.notification_ids, created_at = excluded.created_at,
                    expires_at = excluded.expires_at
                WHERE idempotency_keys.expires_at <= ?""")) {
            ps.setString(1, key.key());
            ps.setString(2, key.fingerprint());
            ps.setString(3, String.join(",", notifications.stream().map(Notification::id).toList()));
            setInstant(ps, 4, now);
            setInstant(ps, 5, key.expiresAt());
            setInstant(ps, 6, now);
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

    private List<Notification> byIds(Connection c, List<String> ids) throws SQLException {
        if (ids.isEmpty()) return List.of();
        String marks = String.join(", ", java.util.Collections.nCopies(ids.size(), idParameter()));
        List<Notification> found = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM notifications WHERE id IN (" + marks + ")")) {
            for (int i = 0; i < ids.size(); i++) ps.setString(i + 1, ids.get(i));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) found.add(row(rs));
            }
        }
        // Same order as the first answer.
        found.sort(Comparator.comparingInt(n -> ids.indexOf(n.id())));
        return found;
    }

    private void insert(Connection c, List<Notification> notifications) throws SQLException {
        if (notifications.isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement(sql("INSERT INTO notifications (" + COLUMNS + ") "
                + "VALUES ({id}, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, {json}, ?, ?, ?, ?, ?)"))) {
            for (Notification n : notifications) {
                ps.setString(1, n.id());
                ps.setString(2, n.recipientId());
                ps.setString(3, n.actorId());
                ps.setString(4, n.entityType());
                ps.setString(5, n.entityId());
                ps.setString(6, n.type());
                ps.setString(7, n.title());
                ps.setString(8, n.message());
                ps.setString(9, n.channel());
                ps.setString(10, n.priority().wireName());
                ps.setString(11, n.status().wireName());
                ps.setString(12, n.data());
                setInstant(ps, 13, n.createdAt());
                setInstant(ps, 14, n.scheduledAt());
                setInstant(ps, 15, n.deliveredAt());
                setInstant(ps, 16, n.readAt());
                setInstant(ps, 17, n.expiresAt());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Override
    public List<Notification> releaseDue(Instant now, int limit) {
        return inWriteTransaction(c -> {
            List<Notification> released = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("UPDATE notifications SET status = 'pending' "
                    + "WHERE status = 'scheduled' AND id IN (SELECT id FROM notifications "
                    + "WHERE status = 'scheduled' AND" + VISIBLE + "ORDER BY created_at, id LIMIT ? " + claimLocking() + ") "
                    + "RETURNING " + COLUMNS)) {
                setInstant(ps, 1, now);
                setInstant(ps, 2, now);
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) released.add(row(rs));
                }
            }
            released.sort(Comparator.comparing(Notification::createdAt).thenComparing(Notification::id));
            return released;
        });
    }

    @Override
    public Optional<Notification> markDelivered(String recipientId, String id, Instant at) {
        if (!NotificationIds.isValid(id)) return Optional.empty();
        return inWriteTransaction(c -> updateOne(c, "UPDATE notifications SET delivered_at = COALESCE(delivered_at, ?), "
                + "status = CASE WHEN status = 'pending' THEN 'delivered' ELSE status END "
                + "WHERE id = {id} AND recipient_id = ? AND" + VISIBLE + "RETURNING " + COLUMNS, recipientId, id, at));
    }

    @Override
    public Optional<Notification> markRead(String recipientId, String id, Instant at) {
        if (!NotificationIds.isValid(id)) return Optional.empty();
        return inWriteTransaction(c -> updateOne(c, "UPDATE notifications SET read_at = COALESCE(read_at, ?), status = 'read' "
                + "WHERE id = {id} AND recipient_id = ? AND" + VISIBLE + "RETURNING " + COLUMNS, recipientId, id, at));
    }

    private Optional<Notification> updateOne(Connection c, String text, String recipientId, String id, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql(text))) {
            setInstant(ps, 1, at);
            ps.setString(2, id);
            ps.setString(3, recipientId);
            setInstant(ps, 4, at);
            setInstant(ps, 5, at);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    @Override
    public List<String> markAllRead(String recipientId, Instant at) {
        return inWriteTransaction(c -> {
            List<String> changed = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("UPDATE notifications SET read_at = ?, status = 'read' "
                    + "WHERE recipient_id = ? AND read_at IS NULL AND" + VISIBLE + "RETURNING id")) {
                setInstant(ps, 1, at);
                ps.setString(2, recipientId);
                setInstant(ps, 3, at);
                setInstant(ps, 4, at);
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
        return inWriteTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql("DELETE FROM notifications WHERE id = {id} AND recipient_id = ?"))) {
                ps.setString(1, id);
                ps.setString(2, recipientId);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public int eraseUser(String userId) {
        return inWriteTransaction(c -> {
            // Children first: a delivery_log or outbox row may outlive its notification's purge.
            for (String table : List.of("delivery_log", "outbox")) update(c, "DELETE FROM " + table + " WHERE recipient_id = ?", userId);
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
        return read(c -> {
            List<Notification> items = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + where + filters
                    + " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?")) {
                int i = bindInbox(ps, q.recipientId(), q.now(), values);
                ps.setInt(i++, q.limit());
                ps.setLong(i, q.offset());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) items.add(row(rs));
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
        setInstant(ps, 2, now);
        setInstant(ps, 3, now);
        int i = 4;
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
    public Optional<Notification> find(String recipientId, String id, Instant now) {
        if (!NotificationIds.isValid(id)) return Optional.empty();
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql("SELECT " + COLUMNS
                    + " FROM notifications WHERE id = {id} AND recipient_id = ? AND" + VISIBLE))) {
                ps.setString(1, id);
                ps.setString(2, recipientId);
                setInstant(ps, 3, now);
                setInstant(ps, 4, now);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(row(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public SyncPage after(String recipientId, SyncCursor cursor, int limit, Instant now) {
        if (limit < 1 || limit > 1000) throw new IllegalArgumentException("limit must be 1..1000, was " + limit);
        return read(c -> {
            List<Notification> items = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql("SELECT " + COLUMNS + " FROM notifications "
                    + "WHERE recipient_id = ? AND (created_at, id) > (?, {id}) AND" + VISIBLE
                    + "ORDER BY created_at, id LIMIT ?"))) {
                ps.setString(1, recipientId);
                setInstant(ps, 2, cursor.time());
                ps.setString(3, cursor.id());
                setInstant(ps, 4, now);
                setInstant(ps, 5, now);
                ps.setInt(6, limit + 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) items.add(row(rs));
                }
            }
            boolean more = items.size() > limit;
            return new SyncPage(more ? items.subList(0, limit) : items, more);
        });
    }

    @Override
    public Optional<Instant> nextScheduledAt(Instant now) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT min(created_at) AS due FROM notifications "
                    + "WHERE status = 'scheduled' AND (expires_at IS NULL OR expires_at > ?)")) {
                setInstant(ps, 1, now);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(getInstant(rs, "due")) : Optional.empty();
                }
            }
        });
    }

    @Override
    public PurgeResult purge(Instant now, Instant createdBefore) {
        int expired = purgeBatches("DELETE FROM notifications WHERE id IN (SELECT id FROM notifications "
                + "WHERE expires_at <= ? LIMIT " + PURGE_BATCH + ")", ps -> setInstant(ps, 1, now));
        // Ids are time-ordered with created_at as their time, so this is a primary-key range scan.
        int old = purgeBatches(sql("DELETE FROM notifications WHERE id IN (SELECT id FROM notifications "
                + "WHERE id < {id} LIMIT " + PURGE_BATCH + ")"), ps -> ps.setString(1, NotificationIds.lowestAt(createdBefore)));
        int keys = purgeBatches("DELETE FROM idempotency_keys WHERE key IN (SELECT key FROM idempotency_keys "
                + "WHERE expires_at <= ? LIMIT " + PURGE_BATCH + ")", ps -> setInstant(ps, 1, now));
        return new PurgeResult(expired, old, keys);
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private int purgeBatches(String text, Binder binder) {
        int total = 0;
        while (true) {
            int n = inWriteTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(text)) {
                    binder.bind(ps);
                    return ps.executeUpdate();
                }
            });
            total += n;
            if (n < PURGE_BATCH) return total;
        }
    }

    private Notification row(ResultSet rs) throws SQLException {
        return new Notification(rs.getString("id"), rs.getString("recipient_id"), rs.getString("actor_id"),
                rs.getString("entity_type"), rs.getString("entity_id"), rs.getString("type"), rs.getString("title"),
                rs.getString("message"), rs.getString("channel"), Priority.parse(rs.getString("priority")),
                NotificationStatus.fromWire(rs.getString("status")), rs.getString("data"),
                getInstant(rs, "created_at"), getInstant(rs, "scheduled_at"), getInstant(rs, "delivered_at"),
                getInstant(rs, "read_at"), getInstant(rs, "expires_at"));
    }
}
