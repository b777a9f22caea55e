package dev.herald.core.deliver.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.Json;
import dev.herald.core.notification.Channel;
import dev.herald.core.notification.Contact;
import dev.herald.core.notification.Delivery;
import dev.herald.core.notification.DeliveryAttempt;
import dev.herald.core.notification.DeliveryStatus;
import dev.herald.core.route.PresenceRegistry;
import dev.herald.core.store.ContactStore;
import dev.herald.core.store.InboxReader;
import dev.herald.core.store.OutboxStore;
import dev.herald.core.store.Settlement;
import dev.herald.core.template.RenderFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one claimed unit (a row, or the rows of one digest) and settles it. Before sending it
 * checks what may have changed since the row was written: expiry ({@code expired}), a fallback
 * whose user is online now ({@code skipped: online}), an escalation already read
 * ({@code skipped: read}), a channel no longer configured or an address removed ({@code failed}),
 * and the recipient's rate limit on the channel ({@code held: rate_limited} until the next hour).
 * Every outcome is one delivery-log row per outbox row (after the rows of the send's
 * {@link SendResult#parts}, a push's devices), written with the row's settle in one transaction
 * ({@link OutboxStore#settle}), a metric and, for the bad ones, a log line.
 *
 * <p>Threading: {@link #process} runs on the unit's own virtual thread; the class is thread-safe.
 */
final class DeliveryWorker {
    private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);

    private final OutboxStore outbox;
    private final ContactStore contacts;
    private final InboxReader inbox;
    private final PresenceRegistry presence;
    private final Map<Channel, ChannelSender> senders;
    private final MessageRenderer renderer;
    private final Clock clock;
    private final RetryPolicy retry;
    private final DispatchObserver observer;
    private final DeliveryEvents events;
    private final RandomGenerator random;
    private final RateLimiter rateLimiter;

    DeliveryWorker(DispatcherBuilder b) {
        this.outbox = b.storage.outbox();
        this.contacts = b.storage.contacts();
        this.inbox = b.storage.inbox();
        this.presence = b.presence;
        this.senders = Map.copyOf(b.senders);
        this.renderer = b.renderer;
        this.clock = b.clock;
        this.retry = b.config.retry();
        this.observer = b.observer;
        this.events = b.events;
        this.random = b.random;
        this.rateLimiter = new RateLimiter(b.storage.rates(), b.rateLimits);
    }

    void process(List<Delivery> unit) {
        try {
            send(unit);
        } catch (RuntimeException e) {
            // A store failure mid-way: the lease lapses and the unit is tried again, by this node or another.
            log.warn("delivery {} not settled, its claim will lapse and be retried: {}", unit.getFirst().id(), e.toString());
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private void send(List<Delivery> unit) {
        Delivery first = unit.getFirst();
        Delivery.Target target = first.target();
        Channel channel = target.channel();
        Instant now = now();
        if (expired(first, now)) {
            settleUnsent(unit, DeliveryStatus.EXPIRED, "expired", now);
            return;
        }
        if (target.kind() == Delivery.Kind.FALLBACK && !presence.connectionsOf(target.recipientId()).isEmpty()) {
            settleUnsent(unit, DeliveryStatus.SKIPPED, "online", now);
            return;
        }
        if (target.kind() == Delivery.Kind.ESCALATION
                && inbox.find(target.recipientId(), target.notificationId(), now).map(n -> n.isRead()).orElse(false)) {
            settleUnsent(unit, DeliveryStatus.SKIPPED, "read", now);
            return;
        }
        ChannelSender sender = senders.get(channel);
        int attempt = first.state().attempts() + 1;
        if (sender == null) {
            finish(unit, attempt, DeliveryStatus.FAILED, "channel_not_configured", "none", Duration.ZERO, now);
            return;
        }
        Contact contact = contacts.contact(target.recipientId()).orElse(Contact.none(target.recipientId()));
        if (channel != Channel.PUSH && contact.addressFor(channel) == null) {
            finish(unit, attempt, DeliveryStatus.FAILED, "no_address", sender.provider(), Duration.ZERO, now);
            return;
        }
        if (!rateLimiter.admit(target.recipientId(), channel, now)) {
            hold(unit, RateLimiter.nextWindow(now), sender.provider(), now);
            return;
        }
        OutboundMessage.Content content;
        try {
            content = renderer.render(channel, unit, contact);
        } catch (RenderFailure e) {
            finish(unit, attempt, DeliveryStatus.FAILED, "template_error: " + e.getMessage(), sender.provider(), Duration.ZERO, now);
            return;
        }
        OutboundMessage message = new OutboundMessage(first.id(), target, attempt, contact, content);
        observer.sendStarted(channel);
        long started = System.nanoTime();
        SendResult result;
        try {
            result = sender.send(message);
        } catch (RuntimeException e) {
            result = new SendResult.Retry("sender error " + e.getClass().getSimpleName(), null);
        }
        Duration latency = Duration.ofNanos(System.nanoTime() - started);
        observer.sendEnded(channel, latency);
        Instant done = now();
        switch (result) {
            case SendResult.Sent sent -> {
                finish(unit, attempt, DeliveryStatus.SENT, null, sender.provider(), latency, done, sent);
                observer.sent(channel, latency);
            }
            case SendResult.Failed failed ->
                    finish(unit, attempt, DeliveryStatus.FAILED, failed.reason(), sender.provider(), latency, done, failed);
            case SendResult.Retry again -> {
                if (attempt >= retry.maxAttempts(channel)) {
                    finish(unit, attempt, DeliveryStatus.DEAD, again.reason(), sender.provider(), latency, done, again);
                    return;
                }
                Duration wait = retry.backoff(attempt, random);
                if (again.retryAfter() != null && again.retryAfter().compareTo(wait) > 0) wait = again.retryAfter();
                Instant next = done.plus(wait);
                List<Settlement> retries = new ArrayList<>(unit.size());
                for (Delivery d : unit) {
                    retries.add(new Settlement(d, new Delivery.State(DeliveryStatus.PENDING, again.reason(), attempt, next, null, done),
                            new DeliveryAttempt(d.id(), d.target(), attempt, DeliveryStatus.PENDING, sender.provider(), latency,
                                    again.reason(), done), parts(d, first, attempt, again)));
                }
                settle(retries);
                observer.retried(channel, again.reason());
                log.info("delivery retry id={} notification={} channel={} attempt={} reason={} next_in_ms={}", first.id(),
                        target.notificationId(), channel.wire(), attempt, again.reason(), wait.toMillis());
            }
        }
    }

    private static boolean expired(Delivery d, Instant now) {
        JsonNode at = Json.parse(d.payload(), "delivery payload").path("expiresAt");
        if (!at.isTextual()) return false;
        try {
            return !Instant.parse(at.asText()).isAfter(now);
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private void finish(List<Delivery> unit, int attempt, DeliveryStatus status, String reason, String provider,
                        Duration latency, Instant at) {
        finish(unit, attempt, status, reason, provider, latency, at, null);
    }

    /**
     * A final outcome after a send (or in place of one, {@code result} null): settle, log, count,
     * tell the backend.
     */
    private void finish(List<Delivery> unit, int attempt, DeliveryStatus status, String reason, String provider,
                        Duration latency, Instant at, SendResult result) {
        Delivery first = unit.getFirst();
        Channel channel = first.target().channel();
        String providerId = result instanceof SendResult.Sent sent ? sent.providerId() : null;
        String detail = result instanceof SendResult.Sent sent ? sent.detail() : null;
        List<Settlement> outcomes = new ArrayList<>(unit.size());
        for (Delivery d : unit) {
            outcomes.add(new Settlement(d, new Delivery.State(status, reason, attempt, d.state().dueAt(), null, at),
                    new DeliveryAttempt(d.id(), d.target(), attempt, status, provider, latency, reason, at, providerId, detail),
                    parts(d, first, attempt, result)));
        }
        Set<String> refused = settle(outcomes);
        if (status == DeliveryStatus.FAILED || status == DeliveryStatus.DEAD) {
            for (Delivery d : unit) {
                if (refused.contains(d.id())) continue;
                events.statusChanged(new StatusEvent(d.id(), d.target().notificationId(), d.target().recipientId(),
                        d.target().channel(), status, reason, attempt, at));
            }
        }
        switch (status) {
            case SENT -> log.info("delivery sent id={} notification={} channel={} attempt={} latency_ms={}{}", first.id(),
                    first.target().notificationId(), channel.wire(), attempt, latency.toMillis(),
                    unit.size() > 1 ? " digest_of=" + unit.size() : "");
            case DEAD -> {
                observer.dead(channel, reason);
                log.warn("delivery dead id={} notification={} channel={} attempts={} reason={}", first.id(),
                        first.target().notificationId(), channel.wire(), attempt, reason);
            }
            case FAILED -> {
                observer.failed(channel, reason);
                log.warn("delivery failed id={} notification={} channel={} attempt={} reason={}", first.id(),
                        first.target().notificationId(), channel.wire(), attempt, reason);
            }
            default -> { }
        }
    }

    /**
     * The rows of the send's parts (a push's devices), settled with the message's own delivery: the
     * first of the unit, whose id the message carried. None for the other rows of a digest.
     */
    private static List<DeliveryAttempt> parts(Delivery d, Delivery first, int attempt, SendResult result) {
        if (result == null || d != first || result.parts().isEmpty()) return List.of();
        List<DeliveryAttempt> rows = new ArrayList<>(result.parts().size());
        for (SendResult.Part p : result.parts()) {
            rows.add(new DeliveryAttempt(d.id(), d.target(), attempt, p.outcome(), p.provider(), p.latency(), p.error(), p.at()));
        }
        return rows;
    }

    /** Past the recipient's rate limit: waits, attempts unchanged, for the next window (seed 004: never dropped). */
    private void hold(List<Delivery> unit, Instant until, String provider, Instant at) {
        List<Settlement> held = new ArrayList<>(unit.size());
        for (Delivery d : unit) {
            held.add(new Settlement(d, new Delivery.State(DeliveryStatus.HELD, "rate_limited", d.state().attempts(), until, null, at),
                    new DeliveryAttempt(d.id(), d.target(), d.state().attempts(), DeliveryStatus.HELD, provider, Duration.ZERO,
                            "rate_limited", at)));
        }
        settle(held);
        Delivery first = unit.getFirst();
        observer.rateLimited(first.target().channel());
        log.info("delivery held id={} notification={} channel={} reason=rate_limited until={}", first.id(),
                first.target().notificationId(), first.target().channel().wire(), until);
    }

    private void settleUnsent(List<Delivery> unit, DeliveryStatus status, String reason, Instant at) {
        List<Settlement> unsent = new ArrayList<>(unit.size());
        for (Delivery d : unit) {
            unsent.add(new Settlement(d, new Delivery.State(status, reason, d.state().attempts(), d.state().dueAt(), null, at),
                    new DeliveryAttempt(d.id(), d.target(), d.state().attempts(), status, null, Duration.ZERO, reason, at)));
        }
        settle(unsent);
        observer.settledUnsent(unit.getFirst().target().channel(), status.wire());
        log.info("delivery {} id={} notification={} channel={} reason={}", status.wire(), unit.getFirst().id(),
                unit.getFirst().target().notificationId(), unit.getFirst().target().channel().wire(), reason);
    }

    /**
     * The unit's outcomes and their delivery-log rows, in one transaction (shared with other sends'
     * settles that arrive at once). A refused row lost its lease mid-send: the new claim's outcome
     * and attempt stand, this one is not recorded.
     */
    private Set<String> settle(List<Settlement> settlements) {
        Set<String> refused = outbox.settle(settlements);
        for (String id : refused) {
            log.warn("delivery {} was claimed again after its lease lapsed; its outcome here is not recorded", id);
        }
        return refused;
    }
}
