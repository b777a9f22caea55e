package dev.herald.server.config;

import dev.herald.channels.push.PushConfig;
import dev.herald.channels.webhook.InvalidSetting;

/**
 * The push channel (DESIGN §5): FCM ({@code FCM_SERVICE_ACCOUNT_FILE}, {@code FCM_BASE_URL},
 * {@code FCM_TOKEN_URL}), APNs ({@code APNS_KEY_FILE}, {@code APNS_KEY_ID}, {@code APNS_TEAM_ID},
 * {@code APNS_TOPIC}, {@code APNS_BASE_URL}) and Web Push ({@code VAPID_PUBLIC_KEY},
 * {@code VAPID_PRIVATE_KEY}, {@code VAPID_SUBJECT}), read by herald-channels' {@link PushConfig#read};
 * the channel is configured when at least one platform is. Key files are read here, at start, so a
 * missing or unreadable one stops the start naming its variable.
 */
public record PushChannelSettings(PushConfig config) {
    static PushChannelSettings from(Env env) {
        try {
            return new PushChannelSettings(PushConfig.read(name -> env.get(name).orElse(null)));
        } catch (InvalidSetting e) {
            // InvalidSetting's message starts with the variable, which ConfigException adds itself.
            String problem = e.getMessage().startsWith(e.variable() + " ") ? e.getMessage().substring(e.variable().length() + 1) : e.getMessage();
            throw new ConfigException(e.variable(), problem);
        }
    }

    public boolean configured() {
        return config.any();
    }
}
