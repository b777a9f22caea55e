package dev.herald.store.jdbc;

import dev.herald.core.notification.Channel;
import dev.herald.core.notification.Delivery;
import dev.herald.core.notification.DeliveryAttempt;
import dev.herald.core.notification.DeliveryStatus;
import dev.herald.core.notification.Priority;
import dev.herald.core.store.DeliveryQuery;
import dev.herald.core.store.OutboxStats;
import dev.herald.core.store.OutboxStore;
import dev.herald.core.store.Settlement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@link OutboxStore} over JDBC. A claim is one write transaction: an {@code UPDATE … WHERE id IN
 * (SELECT … ORDER BY due_at, id LIMIT ? FOR UPDATE SKIP LOCKED)} on PostgreSQL, so nodes claiming
 * at once skip each other's rows; on SQLite the single writer makes the same statement exclusive.
 *
 * <p>A claimed row that waits for a digest brings the rest of its digest, locked and leased in the
 * same transaction. So that two claimers never split a digest, a digest row is only a candidate
 * when the claimer wins the digest's {@link Dialect#digestGuard guard} (a tried advisory lock on
 * PostgreSQL): the loser skips every row of that digest, and the winner can wait for the rest of
 * it without risk of a deadlock, since no other claimer locks rows of a digest it does not hold.
 *
 * <p>Settles are guarded updates ({@code WHERE id = ? AND claimed_until = ?}) written with their
 * delivery-log rows; the settles of sends that finish at the same time share one transaction
 * ({@link GroupCommit}), so at a backlog one WAL flush serves many sends.
 */
public final class JdbcOutboxStore implements OutboxStore {
    /** Settle calls per transaction at most: a unit is one row (or a digest), so about this many sends share a flush. */
    private static final int MAX_SETTLES_PER_TRANSACTION = 64;
    private static final String COLUMNS = DeliveryRows.COLUMNS;
    private static final String WAITING = DeliveryRows.WAITING;
    private static final String UNLEASED = DeliveryRows.UNLEASED;
    private static final Comparator<Delivery> DUE_ORDER =
            Comparator.comparing((Delivery d) -> d.state().dueAt()).thenComparing(Delivery::id);

    private final Database db;
    private final Dialect dialect;
    private final DeliveryRows rows;
    private final GroupCommit<List<Settlement>, Set<String>> settles;

    public JdbcOutboxStore(Database db) {
        this.db = db;
        this.dialect = db.dialect();
        this.rows = new DeliveryRows(dialect, db.cipher());
        // A quarter of the pool: saves take half, reads (claims among them) the rest.
        this.settles = new GroupCommit<>(Math.max(1, db.poolSize() / 4), MAX_SETTLES_PER_TRANSACTION,
                take -> db.write(c -> settleBatch(c, take.get())),
                one -> db.write(c -> settleBatch(c, List.of(one))).getFirst());
    }

    @Override
    public List<Delivery> claimDue(Priority priority, Instant now, int limit, Duration lease) {
        if (limit < 1) throw new IllegalArgumentException("limit must be positive, was " + limit);
        // The lease is compared for equality by settle: keep it at the stores' millisecond precision.
        Instant until = now.plus(lease).truncatedTo(ChronoUnit.MILLIS);
        return db.write(c -> {
            List<Delivery> claimed = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET claimed_until = ?, updated_at = ? "
                    + "WHERE id IN (SELECT o.id FROM outbox o WHERE o.priority = ? AND o." + WAITING.trim()
                    + " AND o.due_at <= ? AND (o.claimed_until IS NULL OR o.claimed_until <= ?) "
                    + "AND (o.digest_key IS NULL OR " + dialect.digestGuard("o") + ") "
                    + "ORDER BY o.due_at, o.id LIMIT ? " + dialect.claimLocking() + ") RETURNING " + COLUMNS)) {
                dialect.setInstant(ps, 1, until);
                dialect.setInstant(ps, 2, now);
                ps.setString(3, priority.wireName());
                dialect.setInstant(ps, 4, now);
                dialect.setInstant(ps, 5, now);
                ps.setInt(6, limit);
                readAll(ps, claimed);
            }
            Set<List<String>> digests = new LinkedHashSet<>();
            for (Delivery d : claimed) {
                Delivery.Target t = d.target();
                if (t.digestKey() != null) digests.add(List.of(t.recipientId(), t.channel().wire(), t.digestKey()));
            }
            for (List<String> digest : digests) claimDigest(c, digest, now, until, claimed);
            claimed.sort(DUE_ORDER);
            return claimed;
        });
    }

    /** The rest of a digest this claim holds the guard of; no other claimer takes these (see the class comment). */
    private void claimDigest(Connection c, List<String> digest, Instant now, Instant until, List<Delivery> into) throws SQLException {
        String locking = dialect.claimLocking().isEmpty() ? "" : "FOR UPDATE";
        try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET claimed_until = ?, updated_at = ? "
                + "WHERE id IN (SELECT id FROM outbox WHERE recipient_id = ? AND channel = ? AND digest_key = ? AND"
                + WAITING + "AND due_at <= ? AND" + UNLEASED + locking + ") RETURNING " + COLUMNS)) {
            dialect.setInstant(ps, 1, until);
            dialect.setInstant(ps, 2, now);
            for (int i = 0; i < 3; i++) ps.setString(3 + i, digest.get(i));
            dialect.setInstant(ps, 6, now);
            dialect.setInstant(ps, 7, now);
            readAll(ps, into);
        }
    }

    @Override
    public Set<String> settle(List<Settlement> settlements) {
        if (settlements.isEmpty()) return Set.of();
        return settles.submit(settlements);
    }

    /**
     * The settles of several callers in one transaction, in arrival order: every row's guarded
     * update in one statement batch, then the delivery-log rows of those that were written.
     */
    private List<Set<String>> settleBatch(Connection c, List<List<Settlement>> calls) throws SQLException {
        List<Settlement> all = new ArrayList<>();
        calls.forEach(all::addAll);
        int[] counts;
        try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET status = ?, reason = ?, attempts = ?, "
                + "due_at = ?, claimed_until = NULL, updated_at = ? WHERE id = ? AND claimed_until = ?")) {
            for (Settlement st : all) {
                Delivery.State state = st.state();
                ps.setString(1, state.status().wire());
                ps.setString(2, state.reason());
                ps.setInt(3, state.attempts());
                dialect.setInstant(ps, 4, state.dueAt());
                dialect.setInstant(ps, 5, state.updatedAt());
                ps.setString(6, st.deliveryId());
                // A row claimed with no lease cannot be settled: NULL matches nothing.
                dialect.setInstant(ps, 7, st.lease());
                ps.addBatch();
            }
            counts = ps.executeBatch();
        }
        List<DeliveryAttempt> attempts = new ArrayList<>();
        List<Set<String>> answers = new ArrayList<>(calls.size());
        int i = 0;
        for (List<Settlement> call : calls) {
            Set<String> refused = new LinkedHashSet<>();
            for (Settlement st : call) {
                int n = counts[i++];
                if (n == Statement.SUCCESS_NO_INFO) throw new SQLException("the driver did not count a settle's update");
                if (n == 1) {
                    attempts.addAll(st.rows());
                } else {
                    refused.add(st.deliveryId());
                }
            }
            answers.add(refused);
        }
        JdbcDeliveryLog.insert(c, dialect, attempts);
        return answers;
    }

    @Override
    public Optional<Delivery> replay(String deliveryId, Instant now) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET status = 'pending', reason = NULL, "
                    + "attempts = 0, due_at = ?, claimed_until = NULL, updated_at = ? "
                    + "WHERE id = ? AND status IN ('dead', 'failed') RETURNING " + COLUMNS)) {
                dialect.setInstant(ps, 1, now);
                dialect.setInstant(ps, 2, now);
                ps.setString(3, deliveryId);
                List<Delivery> again = new ArrayList<>(1);
                readAll(ps, again);
                return again.stream().findFirst();
            }
        });
    }

    @Override
    public int cancel(String notificationId, Delivery.Kind kind, String reason, Instant now) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET status = 'skipped', reason = ?, "
                    + "claimed_until = NULL, updated_at = ? WHERE notification_id = ? AND kind = ? AND"
                    + WAITING + "AND" + UNLEASED)) {
                ps.setString(1, reason);
                dialect.setInstant(ps, 2, now);
                ps.setString(3, notificationId);
                ps.setString(4, DeliveryRows.kind(kind));
                dialect.setInstant(ps, 5, now);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<Delivery> find(DeliveryQuery q) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<String> values = new ArrayList<>();
        if (q.deliveryId() != null) return byId(q.deliveryId());
        boolean oneNotification = q.notificationId() != null;
        if (oneNotification) filter(where, values, "notification_id", q.notificationId());
        if (q.recipientId() != null) filter(where, values, "recipient_id", q.recipientId());
        if (q.status() != null) filter(where, values, "status", q.status().wire());
        if (q.channel() != null) filter(where, values, "channel", q.channel().wire());
        if (!oneNotification && q.beforeId() != null) {
            where.append(" AND id < ?");
            values.add(q.beforeId());
        }
        String text = "SELECT " + COLUMNS + " FROM outbox" + where + " ORDER BY id" + (oneNotification ? "" : " DESC") + " LIMIT ?";
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(text)) {
                int i = 1;
                for (String v : values) ps.setString(i++, v);
                ps.setInt(i, q.limit());
                List<Delivery> found = new ArrayList<>();
                readAll(ps, found);
                return found;
            }
        });
    }

    private List<Delivery> byId(String id) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM outbox WHERE id = ?")) {
                ps.setString(1, id);
                List<Delivery> found = new ArrayList<>(1);
                readAll(ps, found);
                return found;
            }
        });
    }

    private static void filter(StringBuilder where, List<String> values, String column, String value) {
        where.append(" AND ").append(column).append(" = ?");
        values.add(value);
    }

    @Override
    public OutboxStats stats(Instant now) {
        return db.read(c -> {
            Map<Priority, OutboxStats.Queue> queued = new EnumMap<>(Priority.class);
            for (Priority p : Priority.values()) queued.put(p, new OutboxStats.Queue(0, Duration.ZERO));
            try (PreparedStatement ps = c.prepareStatement("SELECT priority, count(*) AS due, min(due_at) AS oldest "
                    + "FROM outbox WHERE" + WAITING + "AND due_at <= ? GROUP BY priority")) {
                dialect.setInstant(ps, 1, now);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Instant oldest = dialect.getInstant(rs, "oldest");
                        queued.put(Priority.parse(rs.getString("priority")),
                                new OutboxStats.Queue(rs.getLong("due"), Duration.between(oldest, now)));
                    }
                }
            }
            Map<Channel, Map<DeliveryStatus, Long>> counts = new EnumMap<>(Channel.class);
            try (PreparedStatement ps = c.prepareStatement("SELECT channel, status, count(*) AS n FROM outbox GROUP BY channel, status");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.computeIfAbsent(Channel.parse("channel", rs.getString("channel")), ch -> new EnumMap<>(DeliveryStatus.class))
                            .put(DeliveryStatus.fromWire(rs.getString("status")), rs.getLong("n"));
                }
            }
            return new OutboxStats(queued, counts);
        });
    }

    private void readAll(PreparedStatement ps, List<Delivery> into) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) into.add(rows.row(rs));
        }
    }
}
