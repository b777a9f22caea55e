package dev.herald.store.crypto;

import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.store.jdbc.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Refuses to open a store with the wrong keys, before anything is read or written: each key that
 * ever sealed a value leaves a check value in {@code encryption_keys} (a known text sealed with it),
 * and at open every recorded key must be configured and open its check value. A store that holds
 * sealed data refuses to open with encryption off; the current key's check value is written on
 * its first use.
 */
public final class KeyCheck {
    static final String COLUMN = "encryption_keys.check_value";
    static final String KNOWN = "herald-key-check";

    private KeyCheck() {}

    public static void verify(Database db, FieldCipher cipher, Instant now) {
        Map<String, String> recorded = db.read(c -> {
            Map<String, String> rows = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT key_id, check_value FROM encryption_keys ORDER BY created_at");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) rows.put(rs.getString(1), rs.getString(2));
            }
            return rows;
        });
        if (!cipher.enabled()) {
            if (!recorded.isEmpty()) {
                throw refused("the store holds values sealed with encryption keys " + recorded.keySet()
                        + ": set HERALD_ENCRYPTION_KEY (and HERALD_ENCRYPTION_OLD_KEYS) to read it");
            }
            return;
        }
        for (var row : recorded.entrySet()) {
            if (!cipher.keyIds().contains(row.getKey())) {
                throw refused("the store holds values sealed with encryption key '" + row.getKey()
                        + "', which is neither HERALD_ENCRYPTION_KEY nor in HERALD_ENCRYPTION_OLD_KEYS");
            }
            if (!opens(cipher, row.getValue())) throw wrongKey(row.getKey());
        }
        if (!recorded.containsKey(cipher.currentKeyId())) {
            // Nodes starting together may both write the first check value: the first one stays, and
            // every node then checks its key against it, so two different keys under one id still fail.
            String stored = db.write(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO encryption_keys (key_id, check_value, created_at) "
                        + "VALUES (?, ?, ?) ON CONFLICT (key_id) DO NOTHING")) {
                    ps.setString(1, cipher.currentKeyId());
                    ps.setString(2, cipher.seal(KNOWN, COLUMN));
                    db.dialect().setInstant(ps, 3, now);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT check_value FROM encryption_keys WHERE key_id = ?")) {
                    ps.setString(1, cipher.currentKeyId());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getString(1);
                    }
                }
            });
            if (!opens(cipher, stored)) throw wrongKey(cipher.currentKeyId());
        }
    }

    private static boolean opens(FieldCipher cipher, String checkValue) {
        try {
            return KNOWN.equals(cipher.open(checkValue, COLUMN));
        } catch (HeraldException e) {
            return false;
        }
    }

    private static HeraldException wrongKey(String id) {
        return refused("encryption key '" + id + "' is not the key this store was encrypted with"
                + " (its check value does not open): check HERALD_ENCRYPTION_KEY and HERALD_ENCRYPTION_OLD_KEYS");
    }

    private static HeraldException refused(String message) {
        return new HeraldException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
