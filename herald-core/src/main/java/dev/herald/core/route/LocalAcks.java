package dev.herald.core.route;

import dev.herald.core.deliver.live.OutboundEvent;
import dev.herald.core.deliver.live.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's part of a broadcast with acks: emits to its local members asking each for an ack, and
 * once every one has answered or timed out publishes one {@link RoomMessage.Acks} to the
 * requester's reply room. A session that cannot ack (plain /ws) gets the event without the ack
 * request and counts, as a closed one does, as a recipient that did not answer. Non-blocking: the last answer (on whichever thread) publishes.
 */
final class LocalAcks {
    private static final Logger log = LoggerFactory.getLogger(LocalAcks.class);

    private final Broker broker;
    private final String replyRoom;
    private final List<String> responses = new ArrayList<>();
    private final AtomicInteger outstanding;
    private final int recipients;

    private LocalAcks(Broker broker, String replyRoom, int recipients) {
        this.broker = broker;
        this.replyRoom = replyRoom;
        this.recipients = recipients;
        // One extra, released once every emit is queued, so an early answer cannot report too soon.
        this.outstanding = new AtomicInteger(recipients + 1);
    }

    static void gather(Broker broker, Collection<Session> audience, RoomMessage.EmitWithAck e) {
        List<Session> targets = new ArrayList<>(audience.size());
        for (Session s : audience) {
            if (e.excludeUserIds().isEmpty() || !e.excludeUserIds().contains(s.principal().userId())) targets.add(s);
        }
        LocalAcks acks = new LocalAcks(broker, e.replyRoom(), targets.size());
        OutboundEvent event = new OutboundEvent(e.event(), e.json());
        Duration timeout = Duration.ofMillis(e.timeoutMillis());
        for (Session s : targets) {
            // Once per session: a transport that refused the send may still time its ack out later.
            java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.function.Consumer<Optional<String>> answer = r -> {
                if (once.compareAndSet(false, true)) acks.answered(r);
            };
            if (!s.sendWithAck(event, timeout, answer)) {
                // Without acks (plain /ws) the client still gets the event; it just cannot answer.
                s.send(event);
                answer.accept(Optional.empty());
            }
        }
        acks.done();
    }

    private void answered(Optional<String> response) {
        if (response.isPresent()) {
            synchronized (responses) {
                responses.add(response.get());
            }
        }
        done();
    }

    private void done() {
        if (outstanding.decrementAndGet() != 0) return;
        List<String> all;
        synchronized (responses) {
            all = List.copyOf(responses);
        }
        broker.publish(replyRoom, new RoomMessage.Acks(recipients, all)).whenComplete((ok, error) -> {
            if (error != null) log.warn("could not report {} ack(s) to {}: {}", all.size(), replyRoom, error.toString());
        });
    }
}
