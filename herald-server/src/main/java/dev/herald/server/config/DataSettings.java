package dev.herald.server.config;

import dev.herald.core.HeraldException;
import dev.herald.core.ingest.LiveEventsConfig;
import dev.herald.store.crypto.FieldCipher;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Encryption at rest, the membership hook and the real-time API's limits.
 *
 * <ul>
 *   <li>{@code HERALD_ENCRYPTION_KEY}: {@code <id>:<base64 of 32 bytes>} (or the base64 alone, id
 *       {@code k1}); sensitive columns are sealed with it. {@code HERALD_ENCRYPTION_OLD_KEYS}:
 *       comma-separated {@code <id>:<base64>} keys kept to read values sealed before a rotation.
 *   <li>{@code MEMBERSHIP_URL}: the owning service's hook for {@code post:}/{@code dm:} rooms
 *       (POST {@code {userId, room}}, answer {@code {"allowed": bool}}), {@code MEMBERSHIP_TOKEN}
 *       its bearer token, {@code MEMBERSHIP_CACHE_SECONDS} (30) how long an answer is reused,
 *       {@code MEMBERSHIP_TIMEOUT_SECONDS} (3) how long the hook has to answer.
 *   <li>{@code REALTIME_MAX_PAYLOAD_BYTES} (1000000), {@code REALTIME_MAX_USERS_PER_CALL} (10000),
 *       {@code REALTIME_PUBLISH_TIMEOUT_SECONDS} (5), {@code REALTIME_MAX_FANOUT_BACKLOG} (5000): {@link LiveEventsConfig}.
 * </ul>
 */
public record DataSettings(FieldCipher encryption, Optional<Membership> membership, LiveEventsConfig realtime) {

    public record Membership(URI url, Optional<Secret> token, Duration cacheFor, Duration timeout) {}

    public static DataSettings from(Env env) {
        FieldCipher cipher = env.get("HERALD_ENCRYPTION_KEY").map(current -> {
            Key key = key("HERALD_ENCRYPTION_KEY", current, "k1");
            Map<String, byte[]> old = new LinkedHashMap<>();
            for (String entry : env.list("HERALD_ENCRYPTION_OLD_KEYS")) {
                Key k = key("HERALD_ENCRYPTION_OLD_KEYS", entry, null);
                if (old.put(k.id(), k.bytes()) != null || k.id().equals(key.id())) {
                    throw new ConfigException("HERALD_ENCRYPTION_OLD_KEYS", "names key id '" + k.id() + "' twice");
                }
            }
            try {
                return FieldCipher.of(key.id(), key.bytes(), old);
            } catch (HeraldException e) {
                throw new ConfigException("HERALD_ENCRYPTION_KEY", e.getMessage());
            }
        }).orElse(null);
        if (cipher == null) {
            if (env.get("HERALD_ENCRYPTION_OLD_KEYS").isPresent()) {
                throw new ConfigException("HERALD_ENCRYPTION_OLD_KEYS", "needs HERALD_ENCRYPTION_KEY (the key new values are sealed with)");
            }
            cipher = FieldCipher.none();
        }
        Optional<Membership> membership = env.get("MEMBERSHIP_URL").map(url -> {
            if (!url.startsWith("http://") && !url.startsWith("https://")) {
                throw new ConfigException("MEMBERSHIP_URL", "must start with http:// or https://");
            }
            return new Membership(URI.create(url), env.get("MEMBERSHIP_TOKEN").map(Secret::new),
                    env.seconds("MEMBERSHIP_CACHE_SECONDS", Duration.ofSeconds(30), 0, 3600),
                    env.seconds("MEMBERSHIP_TIMEOUT_SECONDS", Duration.ofSeconds(3), 1, 60));
        });
        LiveEventsConfig d = LiveEventsConfig.DEFAULTS;
        LiveEventsConfig realtime = new LiveEventsConfig(
                env.integer("REALTIME_MAX_PAYLOAD_BYTES", d.maxPayloadBytes(), 1, 64 * 1024 * 1024),
                env.integer("REALTIME_MAX_USERS_PER_CALL", d.maxUsersPerCall(), 1, 1_000_000),
                env.seconds("REALTIME_PUBLISH_TIMEOUT_SECONDS", d.publishTimeout(), 1, 300),
                env.integer("REALTIME_MAX_FANOUT_BACKLOG", d.maxFanOutBacklog(), 0, 100_000_000));
        return new DataSettings(cipher, membership, realtime);
    }

    private record Key(String id, byte[] bytes) {}

    private static Key key(String variable, String value, String defaultId) {
        int colon = value.indexOf(':');
        String id = colon < 0 ? defaultId : value.substring(0, colon);
        String base64 = colon < 0 ? value : value.substring(colon + 1);
        if (id == null) throw new ConfigException(variable, "entries must look like <id>:<base64 key>");
        if (!id.matches("[A-Za-z0-9_-]{1,32}")) throw new ConfigException(variable, "key ids are 1-32 letters, digits, '-' or '_'");
        byte[] bytes;
        try {
            bytes = base64.contains("-") || base64.contains("_") ? Base64.getUrlDecoder().decode(base64.strip())
                    : Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(variable, "key '" + id + "' is not valid base64");
        }
        if (bytes.length != 32) {
            throw new ConfigException(variable, "key '" + id + "' must be 32 bytes (256 bits) once decoded, not " + bytes.length
                    + " (openssl rand -base64 32)");
        }
        return new Key(id, bytes);
    }
}
