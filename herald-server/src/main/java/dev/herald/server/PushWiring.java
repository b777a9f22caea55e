package dev.herald.server;

import dev.herald.channels.push.DeviceSender;
import dev.herald.channels.push.PushConfig;
import dev.herald.channels.push.PushHttp;
import dev.herald.channels.push.PushSender;
import dev.herald.channels.push.apns.ApnsSender;
import dev.herald.channels.push.fcm.FcmSender;
import dev.herald.channels.push.webpush.WebPushSender;
import dev.herald.core.deliver.dispatch.ChannelSender;
import dev.herald.core.store.Storage;
import dev.herald.server.config.PushChannelSettings;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The push channel's wiring: one HttpClient for its platforms, a sender per configured platform. */
final class PushWiring {
    private static final Logger log = LoggerFactory.getLogger(PushWiring.class);

    private PushWiring() {}

    /** The push sender when at least one platform is configured; its HttpClient closes with the node. */
    static Optional<ChannelSender> sender(PushChannelSettings settings, Storage storage, Clock clock, Deque<AutoCloseable> closeOrder) {
        if (!settings.configured()) return Optional.empty();
        PushConfig config = settings.config();
        PushHttp http = PushHttp.open(clock);
        closeOrder.push(http);
        List<DeviceSender> platforms = new ArrayList<>();
        config.fcm().ifPresent(c -> platforms.add(new FcmSender(c, http)));
        config.apns().ifPresent(c -> platforms.add(new ApnsSender(c, http)));
        config.webPush().ifPresent(c -> platforms.add(new WebPushSender(c, http)));
        log.info("push channel on: {}", platforms.stream().map(DeviceSender::provider).toList());
        return Optional.of(new PushSender(storage.contacts(), platforms, clock));
    }
}
