package dev.herald.channels.push;

import dev.herald.channels.push.apns.ApnsConfig;
import dev.herald.channels.push.fcm.FcmConfig;
import dev.herald.channels.push.webpush.WebPushConfig;
import java.util.Optional;
import java.util.function.Function;

/**
 * The push channel's settings: each platform on when its variables are set (DESIGN §5); the channel
 * is on when at least one is. A device of a platform without settings gets nothing (its row in the
 * delivery log says {@code platform not configured}).
 */
public record PushConfig(Optional<FcmConfig> fcm, Optional<ApnsConfig> apns, Optional<WebPushConfig> webPush) {
    public static PushConfig read(Function<String, String> env) {
        return new PushConfig(FcmConfig.read(env), ApnsConfig.read(env), WebPushConfig.read(env));
    }

    public boolean any() {
        return fcm.isPresent() || apns.isPresent() || webPush.isPresent();
    }
}
