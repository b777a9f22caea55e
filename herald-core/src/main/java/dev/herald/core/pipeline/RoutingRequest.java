package dev.herald.core.pipeline;

import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.notification.Channel;
import dev.herald.core.notification.CreateNotification.Routing;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * A create's routing, validated: its delivery channels, the fallback channel for a recipient with
 * no live socket, and the escalation for one who has not read it in time. Every named channel must
 * be configured on this node, else {@code CHANNEL_NOT_CONFIGURED} (422) at create, never a failed
 * send later.
 *
 * @param fallback null when none; never one of {@code channels}
 * @param escalateTo null when none; {@code escalateAfter} is then null too
 */
record RoutingRequest(Set<Channel> channels, Channel fallback, Channel escalateTo, Duration escalateAfter) {
    static final Duration MAX_ESCALATION = Duration.ofDays(30);

    static RoutingRequest parse(Routing routing, Set<Channel> configured) {
        Set<Channel> channels = EnumSet.noneOf(Channel.class);
        if (routing.channels() == null || routing.channels().isEmpty()) channels.add(Channel.IN_APP);
        else for (String name : routing.channels()) channels.add(configuredChannel("channels", name, configured));
        Channel fallback = null;
        if (routing.fallback() != null) {
            fallback = configuredChannel("fallback", routing.fallback(), configured);
            if (!fallback.dispatched()) throw invalid("fallback", "must be a channel other than inApp");
            if (channels.contains(fallback)) throw invalid("fallback", "is already one of channels");
        }
        Channel escalateTo = null;
        Duration after = null;
        if (routing.escalate() != null) {
            if (routing.escalate().channel() == null) throw invalid("escalate.channel", "required");
            escalateTo = configuredChannel("escalate.channel", routing.escalate().channel(), configured);
            if (!escalateTo.dispatched()) throw invalid("escalate.channel", "must be a channel other than inApp");
            if (!channels.contains(Channel.IN_APP)) throw invalid("escalate", "needs inApp among channels: it waits for a read");
            Long seconds = routing.escalate().afterSeconds();
            if (seconds == null) throw invalid("escalate.afterSeconds", "required");
            if (seconds < 1 || seconds > MAX_ESCALATION.toSeconds()) {
                throw invalid("escalate.afterSeconds", "must be between 1 and " + MAX_ESCALATION.toSeconds());
            }
            after = Duration.ofSeconds(seconds);
        }
        return new RoutingRequest(Set.copyOf(channels), fallback, escalateTo, after);
    }

    /** Every channel the notification may go out on: the channels, the fallback and the escalation. */
    Set<Channel> allChannels() {
        Set<Channel> all = EnumSet.copyOf(channels);
        if (fallback != null) all.add(fallback);
        if (escalateTo != null) all.add(escalateTo);
        return all;
    }

    private static Channel configuredChannel(String field, String name, Set<Channel> configured) {
        if (name == null || name.isBlank()) throw invalid(field, "a channel name is blank");
        Channel channel = Channel.parse(field, name);
        if (!configured.contains(channel)) {
            throw new HeraldException(ErrorCode.CHANNEL_NOT_CONFIGURED,
                    field + ": channel '" + name + "' is not configured on this server");
        }
        return channel;
    }

    private static HeraldException invalid(String field, String why) {
        return new HeraldException(ErrorCode.INVALID_ARGUMENT, field + ": " + why);
    }
}
