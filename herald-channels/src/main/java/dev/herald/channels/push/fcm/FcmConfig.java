package dev.herald.channels.push.fcm;

import dev.herald.channels.push.PushVariables;
import dev.herald.channels.webhook.InvalidSetting;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * FCM HTTP v1's settings: on when {@code FCM_SERVICE_ACCOUNT_FILE} names a service-account JSON
 * file; {@code FCM_BASE_URL} (https://fcm.googleapis.com) and {@code FCM_TOKEN_URL}
 * (https://oauth2.googleapis.com/token) point elsewhere for tests or a proxy.
 */
public record FcmConfig(ServiceAccount account, URI baseUrl, URI tokenUrl) {
    public static final URI DEFAULT_BASE_URL = URI.create("https://fcm.googleapis.com");
    public static final URI DEFAULT_TOKEN_URL = URI.create("https://oauth2.googleapis.com/token");

    public FcmConfig {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(tokenUrl, "tokenUrl");
    }

    /** Empty when {@code FCM_SERVICE_ACCOUNT_FILE} is unset; throws {@link InvalidSetting} for a bad value. */
    public static Optional<FcmConfig> read(Function<String, String> env) {
        String file = PushVariables.value(env, "FCM_SERVICE_ACCOUNT_FILE");
        if (file == null) {
            PushVariables.refuseWithout(env, "FCM_SERVICE_ACCOUNT_FILE", "FCM_BASE_URL", "FCM_TOKEN_URL");
            return Optional.empty();
        }
        ServiceAccount account;
        try {
            account = ServiceAccount.parse(PushVariables.readFile("FCM_SERVICE_ACCOUNT_FILE", file));
        } catch (IllegalArgumentException e) {
            if (e instanceof InvalidSetting) throw e;
            throw new InvalidSetting("FCM_SERVICE_ACCOUNT_FILE", "file " + e.getMessage());
        }
        return Optional.of(new FcmConfig(account,
                PushVariables.url(env, "FCM_BASE_URL", DEFAULT_BASE_URL),
                PushVariables.url(env, "FCM_TOKEN_URL", DEFAULT_TOKEN_URL)));
    }
}
