package dev.herald.channels.push.apns;

import dev.herald.channels.push.Pem;
import dev.herald.channels.push.PushVariables;
import dev.herald.channels.webhook.InvalidSetting;
import java.net.URI;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * APNs token-based settings: {@code APNS_KEY_FILE} (the .p8 signing key from the Apple developer
 * account), {@code APNS_KEY_ID}, {@code APNS_TEAM_ID} and {@code APNS_TOPIC} (the app's bundle id)
 * together, or none; {@code APNS_BASE_URL} (https://api.push.apple.com; the sandbox is
 * https://api.sandbox.push.apple.com). {@code toString()} hides the key.
 *
 * @param tokenLifetime how long one provider token is used: Apple refuses tokens older than an hour
 *     and too frequent new ones, so 50 minutes
 */
public record ApnsConfig(ECPrivateKey key, String keyId, String teamId, String topic, URI baseUrl, Duration tokenLifetime) {
    public static final URI DEFAULT_BASE_URL = URI.create("https://api.push.apple.com");
    public static final Duration TOKEN_LIFETIME = Duration.ofMinutes(50);

    public ApnsConfig {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(teamId, "teamId");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(baseUrl, "baseUrl");
        if (tokenLifetime.isNegative() || tokenLifetime.isZero() || tokenLifetime.compareTo(TOKEN_LIFETIME) > 0) {
            throw new IllegalArgumentException("tokenLifetime must be within (0, 50 min]");
        }
    }

    public ApnsConfig(ECPrivateKey key, String keyId, String teamId, String topic, URI baseUrl) {
        this(key, keyId, teamId, topic, baseUrl, TOKEN_LIFETIME);
    }

    public static Optional<ApnsConfig> read(Function<String, String> env) {
        if (!PushVariables.allOrNone(env, "APNS_KEY_FILE", "APNS_KEY_ID", "APNS_TEAM_ID", "APNS_TOPIC")) {
            PushVariables.refuseWithout(env, "APNS_KEY_FILE", "APNS_BASE_URL");
            return Optional.empty();
        }
        ECPrivateKey key;
        try {
            key = (ECPrivateKey) Pem.privateKey(PushVariables.readFile("APNS_KEY_FILE", PushVariables.value(env, "APNS_KEY_FILE")), "EC");
        } catch (InvalidSetting e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new InvalidSetting("APNS_KEY_FILE", "file is " + e.getMessage());
        }
        String keyId = PushVariables.value(env, "APNS_KEY_ID");
        String teamId = PushVariables.value(env, "APNS_TEAM_ID");
        if (!keyId.matches("[A-Z0-9]{10}")) throw new InvalidSetting("APNS_KEY_ID", "must be the 10-character key id Apple gave");
        if (!teamId.matches("[A-Z0-9]{10}")) throw new InvalidSetting("APNS_TEAM_ID", "must be the 10-character team id");
        return Optional.of(new ApnsConfig(key, keyId, teamId, PushVariables.value(env, "APNS_TOPIC"),
                PushVariables.url(env, "APNS_BASE_URL", DEFAULT_BASE_URL)));
    }

    @Override
    public String toString() {
        return "ApnsConfig[keyId=" + keyId + ", teamId=" + teamId + ", topic=" + topic + ", baseUrl=" + baseUrl + "]";
    }
}
