package dev.herald.store.jdbc;

import dev.herald.core.ingest.IngestDeadLetters;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** {@link IngestDeadLetters} in the {@code ingest_dead_letters} table (migration V5). */
public final class JdbcIngestDeadLetters implements IngestDeadLetters {
    private final Database db;
    private final Dialect dialect;

    public JdbcIngestDeadLetters(Database db) {
        this.db = db;
        this.dialect = db.dialect();
    }

    @Override
    public void record(DeadLetter d) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO ingest_dead_letters "
                    + "(id, source, subject, message_key, reason, body, received_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                    + "ON CONFLICT (id) DO NOTHING")) {
                ps.setString(1, d.id());
                ps.setString(2, d.source());
                ps.setString(3, d.subject());
                ps.setString(4, d.messageKey());
                ps.setString(5, d.reason());
                ps.setString(6, d.body());
                dialect.setInstant(ps, 7, d.receivedAt());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<DeadLetter> recent(String source, int limit) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, source, subject, message_key, reason, body, received_at "
                    + "FROM ingest_dead_letters WHERE (CAST(? AS text) IS NULL OR source = ?) ORDER BY received_at DESC, id DESC LIMIT ?")) {
                ps.setString(1, source);
                ps.setString(2, source);
                ps.setInt(3, limit);
                List<DeadLetter> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new DeadLetter(rs.getString("id"), rs.getString("source"), rs.getString("subject"),
                                rs.getString("message_key"), rs.getString("reason"), rs.getString("body"),
                                dialect.getInstant(rs, "received_at")));
                    }
                }
                return out;
            }
        });
    }
}
