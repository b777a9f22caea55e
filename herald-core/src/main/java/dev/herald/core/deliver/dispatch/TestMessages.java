package dev.herald.core.deliver.dispatch;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.notification.Channel;
import dev.herald.core.notification.Contact;
import dev.herald.core.notification.CreateNotification;
import dev.herald.core.notification.Delivery;
import dev.herald.core.notification.NotificationPayload;
import dev.herald.core.notification.Preferences;
import dev.herald.core.notification.Priority;
import dev.herald.core.pipeline.NotificationPipeline;
import dev.herald.core.store.Storage;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * {@code POST /notifications/test} (seed 004): sends the caller a test message on every channel and
 * says, per channel, whether it went or why not. In-app goes through the pipeline (so it lands in
 * the inbox and on the user's sockets); every other channel is sent at once through its sender, so
 * the answer is the provider's, not "queued". A test send counts against the user's rate limit
 * like any other (a test button must not become a way to send unlimited SMS), and is not retried.
 *
 * <p>Threading: thread-safe; blocks on the store and the providers (a virtual thread).
 */
public final class TestMessages {
    /** What happened on one channel: {@code sent}, or why not, with the provider's id or reason. */
    public record Outcome(String status, String reason, String providerId) {
        static Outcome sent(String providerId) {
            return new Outcome("sent", null, providerId);
        }

        static Outcome not(String status, String reason) {
            return new Outcome(status, reason, null);
        }
    }

    public static final String TYPE = "test";
    static final String SUBJECT = "Test notification from Herald";
    static final String TEXT = "This is a test notification. If you can read it, this channel reaches you.";

    private final Storage storage;
    private final NotificationPipeline pipeline;
    private final Map<Channel, ChannelSender> senders = new EnumMap<>(Channel.class);
    private final RateLimiter rateLimiter;
    private final Clock clock;

    public TestMessages(Storage storage, NotificationPipeline pipeline, List<ChannelSender> senders, RateLimits limits, Clock clock) {
        this.storage = Objects.requireNonNull(storage, "storage");
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        senders.forEach(s -> this.senders.put(s.channel(), s));
        this.rateLimiter = new RateLimiter(storage.rates(), limits);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Every channel, in the order of {@link Channel}, with its outcome. */
    public Map<Channel, Outcome> send(String userId) {
        Preferences prefs = storage.preferences().find(userId).orElseGet(Preferences::defaults);
        Contact contact = storage.contacts().contact(userId).orElse(Contact.none(userId));
        Map<Channel, Outcome> out = new LinkedHashMap<>();
        for (Channel channel : Channel.values()) out.put(channel, one(channel, userId, prefs, contact));
        return out;
    }

    private Outcome one(Channel channel, String userId, Preferences prefs, Contact contact) {
        if (channel == Channel.IN_APP) {
            if (!prefs.allows(TYPE, channel)) return Outcome.not("disabled", prefs.refusal(TYPE, channel));
            String id = pipeline.create(CreateNotification.to(userId, TYPE, SUBJECT, TEXT)
                    .withRouting(new CreateNotification.Routing(List.of(Channel.IN_APP.wire()), null, null))).ids().getFirst();
            return Outcome.sent(id);
        }
        ChannelSender sender = senders.get(channel);
        if (sender == null) return Outcome.not("not_configured", "the server has no " + channel.wire() + " settings");
        if (!prefs.allows(TYPE, channel)) return Outcome.not("disabled", prefs.refusal(TYPE, channel));
        if (channel == Channel.PUSH ? storage.contacts().devices(userId).isEmpty() : contact.addressFor(channel) == null) {
            return Outcome.not("no_address", channel == Channel.PUSH ? "no push device registered" : "no " + address(channel) + " in the contact");
        }
        Instant now = clock.instant();
        if (!rateLimiter.admit(userId, channel, now)) return Outcome.not("rate_limited", "until " + RateLimiter.nextWindow(now));
        String id = UUID.randomUUID().toString();
        Delivery.Target target = new Delivery.Target(id, userId, TYPE, channel, Priority.HIGH, Delivery.Kind.STANDARD, null);
        SendResult result;
        try {
            result = sender.send(new OutboundMessage(id, target, 1, contact, content(id, now)));
        } catch (RuntimeException e) {
            result = new SendResult.Retry("sender error " + e.getClass().getSimpleName(), null);
        }
        return switch (result) {
            case SendResult.Sent sent -> Outcome.sent(sent.providerId());
            case SendResult.Failed failed -> Outcome.not("failed", failed.reason());
            case SendResult.Retry retry -> Outcome.not("failed", retry.reason());
        };
    }

    private static String address(Channel channel) {
        return switch (channel) {
            case EMAIL -> "email address";
            case SMS -> "phone number";
            case WEBHOOK -> "webhook URL";
            default -> channel.wire();
        };
    }

    private static OutboundMessage.Content content(String id, Instant now) {
        ObjectNode json = JsonNodeFactory.instance.objectNode().put("id", id).put("type", TYPE).put("title", SUBJECT)
                .put("message", TEXT).put("priority", Priority.HIGH.wireName()).put("timestamp", now.toString());
        json.putObject("data");
        return new OutboundMessage.Content(SUBJECT, TEXT, "<p>" + TEXT + "</p>", NotificationPayload.write(json));
    }
}
