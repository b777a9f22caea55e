package dev.herald.core.testing;

import dev.herald.core.notification.Delivery;
import dev.herald.core.notification.Priority;
import dev.herald.core.store.DeliveryQuery;
import dev.herald.core.store.OutboxStats;
import dev.herald.core.store.OutboxStore;
import dev.herald.core.store.Settlement;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An outbox that passes every call to another and counts what the dispatcher asks of it: claims
 * per priority (each is a query, on PostgreSQL a transaction) and rows handed back unsent.
 */
public final class CountingOutbox implements OutboxStore {
    private final OutboxStore inner;
    private final Map<Priority, AtomicInteger> claims = new EnumMap<>(Priority.class);
    private final AtomicInteger handedBack = new AtomicInteger();

    public CountingOutbox(OutboxStore inner) {
        this.inner = inner;
        for (Priority p : Priority.values()) claims.put(p, new AtomicInteger());
    }

    public int claims(Priority p) {
        return claims.get(p).get();
    }

    /** Rows settled with no attempt: claims given back. */
    public int handedBack() {
        return handedBack.get();
    }

    @Override
    public List<Delivery> claimDue(Priority priority, Instant now, int limit, Duration lease) {
        claims.get(priority).incrementAndGet();
        return inner.claimDue(priority, now, limit, lease);
    }

    @Override
    public Set<String> settle(List<Settlement> settlements) {
        handedBack.addAndGet((int) settlements.stream().filter(s -> s.attempt() == null).count());
        return inner.settle(settlements);
    }

    @Override
    public Optional<Delivery> replay(String deliveryId, Instant now) {
        return inner.replay(deliveryId, now);
    }

    @Override
    public int cancel(String notificationId, Delivery.Kind kind, String reason, Instant now) {
        return inner.cancel(notificationId, kind, reason, now);
    }

    @Override
    public List<Delivery> find(DeliveryQuery query) {
        return inner.find(query);
    }

    @Override
    public OutboxStats stats(Instant now) {
        return inner.stats(now);
    }
}
