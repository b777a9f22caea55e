package dev.herald.store.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.Json;
import dev.herald.core.notification.Channel;
import dev.herald.core.template.Template;
import dev.herald.core.template.TemplateSet;
import dev.herald.core.template.TemplateStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link TemplateStore} over JDBC: one row per version, never updated (V4). Every write bumps the
 * key's revision first, in its own transaction: on PostgreSQL the bumped row stays locked until
 * commit, so writers of one key on any node take turns and each sees the one before (READ
 * COMMITTED reads afresh per statement); SQLite has one writer anyway.
 */
public final class JdbcTemplateStore implements TemplateStore {
    private static final String COLUMNS = "t.key, t.channel, t.locale, t.version, t.subject, t.body, t.html, t.variables, "
            + "t.created_at";
    // The newest version of each variant; the caller adds "AND t.active" for current variants.
    private static final String NEWEST = "t.version = (SELECT MAX(v.version) FROM notification_templates v "
            + "WHERE v.key = t.key AND v.channel = t.channel AND v.locale = t.locale)";

    private final Database db;
    private final Dialect dialect;

    public JdbcTemplateStore(Database db) {
        this.db = db;
        this.dialect = db.dialect();
    }

    @Override
    public List<Template> list() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM notification_templates t WHERE t.active AND "
                    + NEWEST)) {
                return sorted(read(ps));
            }
        });
    }

    @Override
    public TemplateSet snapshot(String key) {
        // One statement, one snapshot: the revision and the variants agree.
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT k.revision, " + COLUMNS + " FROM notification_template_keys k "
                    + "LEFT JOIN notification_templates t ON t.key = k.key AND t.active AND " + NEWEST + " WHERE k.key = ?")) {
                ps.setString(1, key);
                long revision = 0;
                List<Template> variants = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        revision = rs.getLong("revision");
                        if (rs.getString("channel") != null) variants.add(template(rs));
                    }
                }
                return new TemplateSet(key, revision, sorted(variants));
            }
        });
    }

    @Override
    public Optional<Template> find(String key, Channel channel, String locale, long revision) {
        return db.read(c -> newest(c, key, channel, locale, revision));
    }

    /** The version in force at {@code revision}; empty when there is none or it is a deletion. */
    private Optional<Template> newest(Connection c, String key, Channel channel, String locale, long revision) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT t.active, " + COLUMNS + " FROM notification_templates t "
                + "WHERE t.key = ? AND t.channel = ? AND t.locale = ? AND t.version <= ? ORDER BY t.version DESC LIMIT 1")) {
            ps.setString(1, key);
            ps.setString(2, channel.wire());
            ps.setString(3, locale);
            ps.setLong(4, revision);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !rs.getBoolean("active")) return Optional.empty();
                return Optional.of(template(rs));
            }
        }
    }

    @Override
    public Template create(Template draft, Instant at) {
        return db.write(c -> {
            long revision = bump(c, draft.key());
            if (newest(c, draft.key(), draft.channel(), draft.locale(), Long.MAX_VALUE).isPresent()) throw draft.conflict();
            return insert(c, draft, revision, true, at);
        });
    }

    @Override
    public Template update(Template draft, Instant at) {
        return db.write(c -> {
            long revision = bump(c, draft.key());
            if (newest(c, draft.key(), draft.channel(), draft.locale(), Long.MAX_VALUE).isEmpty()) throw draft.notFound();
            return insert(c, draft, revision, true, at);
        });
    }

    @Override
    public int delete(String key, Channel channel, String locale, Instant at) {
        try {
            return db.write(c -> {
                long revision = bump(c, key);
                List<Template> gone = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM notification_templates t "
                        + "WHERE t.key = ? AND t.active AND " + NEWEST)) {
                    ps.setString(1, key);
                    for (Template t : read(ps)) {
                        if ((channel == null || t.channel() == channel) && (locale == null || t.locale().equals(locale))) gone.add(t);
                    }
                }
                if (gone.isEmpty()) throw new NothingDeleted();
                for (Template t : gone) insert(c, t, revision, false, at);
                return gone.size();
            });
        } catch (NothingDeleted e) {
            return 0; // rolled back: no revision for a deletion that deleted nothing
        }
    }

    private static final class NothingDeleted extends RuntimeException {
        NothingDeleted() {
            super(null, null, false, false);
        }
    }

    private static long bump(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO notification_template_keys (key, revision) VALUES (?, 1) "
                + "ON CONFLICT (key) DO UPDATE SET revision = notification_template_keys.revision + 1 RETURNING revision")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private Template insert(Connection c, Template t, long revision, boolean active, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO notification_templates (key, channel, locale, version, "
                + "subject, body, html, variables, active, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, t.key());
            ps.setString(2, t.channel().wire());
            ps.setString(3, t.locale());
            ps.setLong(4, revision);
            ps.setString(5, t.subject());
            ps.setString(6, t.body());
            ps.setString(7, t.html());
            ps.setString(8, Json.write(t.variables()));
            ps.setBoolean(9, active);
            dialect.setInstant(ps, 10, at);
            ps.executeUpdate();
        }
        return t.stored(revision, at);
    }

    private List<Template> read(PreparedStatement ps) throws SQLException {
        List<Template> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(template(rs));
        }
        return out;
    }

    private Template template(ResultSet rs) throws SQLException {
        List<String> variables = new ArrayList<>();
        for (JsonNode v : Json.parse(rs.getString("variables"), "template variables")) variables.add(v.asText());
        return new Template(rs.getString("key"), Channel.parse("channel", rs.getString("channel")), rs.getString("locale"),
                rs.getString("subject"), rs.getString("body"), rs.getString("html"), variables, rs.getLong("version"),
                dialect.getInstant(rs, "created_at"));
    }

    // SQL collations differ (PostgreSQL's follows the database locale): the order is Java's, as in memory.
    private static List<Template> sorted(List<Template> templates) {
        List<Template> out = new ArrayList<>(templates);
        out.sort(Template.ORDER);
        return out;
    }
}
