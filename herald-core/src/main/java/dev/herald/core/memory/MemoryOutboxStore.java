package dev.herald.core.memory;

import dev.herald.core.notification.Channel;
import dev.herald.core.notification.Delivery;
import dev.herald.core.notification.DeliveryStatus;
import dev.herald.core.notification.Priority;
import dev.herald.core.store.DeliveryQuery;
import dev.herald.core.store.OutboxStats;
import dev.herald.core.store.OutboxStore;
import dev.herald.core.store.Settlement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The in-memory outbox: the reference behaviour of {@link OutboxStore}. Rows arrive through
 * {@link MemoryNotificationStore#save}, which calls {@link #insert} under its own lock, so a batch
 * and its deliveries appear together. One lock makes every method atomic; a settle appends its
 * attempts to the backend's {@link MemoryDeliveryLog} under it.
 */
public final class MemoryOutboxStore implements OutboxStore {
    private static final Comparator<Delivery> DUE_ORDER =
            Comparator.comparing((Delivery d) -> d.state().dueAt()).thenComparing(Delivery::id);

    private final ReentrantLock lock = new ReentrantLock();
    private final MemoryDeliveryLog log;
    // UUIDv7 ids sort in creation order.
    private final NavigableMap<String, Delivery> byId = new TreeMap<>();

    /** @param log where settles append their attempts (the same backend's delivery log) */
    MemoryOutboxStore(MemoryDeliveryLog log) {
        this.log = Objects.requireNonNull(log, "log");
    }

    private <T> T locked(Supplier<T> work) {
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    void insert(List<Delivery> deliveries) {
        locked(() -> {
            for (Delivery d : deliveries) {
                if (byId.containsKey(d.id())) throw new IllegalStateException("duplicate delivery id " + d.id());
            }
            deliveries.forEach(d -> byId.put(d.id(), d));
            return null;
        });
    }

    private static boolean claimable(Delivery d, Instant now) {
        Delivery.State s = d.state();
        return s.status().waiting() && !s.dueAt().isAfter(now)
                && (s.claimedUntil() == null || !s.claimedUntil().isAfter(now));
    }

    @Override
    public List<Delivery> claimDue(Priority priority, Instant now, int limit, Duration lease) {
        return locked(() -> {
            List<Delivery> picked = new ArrayList<>(byId.values().stream()
                    .filter(d -> d.target().priority() == priority && claimable(d, now))
                    .sorted(DUE_ORDER).limit(limit).toList());
            List<Delivery> rest = new ArrayList<>();
            for (Delivery d : picked) {
                if (d.target().digestKey() == null) continue;
                byId.values().stream()
                        .filter(o -> !picked.contains(o) && !rest.contains(o) && claimable(o, now)
                                && sameDigest(o.target(), d.target()))
                        .forEach(rest::add);
            }
            picked.addAll(rest);
            picked.sort(DUE_ORDER);
            Instant until = now.plus(lease);
            List<Delivery> claimed = new ArrayList<>(picked.size());
            for (Delivery d : picked) {
                Delivery.State s = d.state();
                Delivery c = d.with(new Delivery.State(s.status(), s.reason(), s.attempts(), s.dueAt(), until, now));
                byId.put(c.id(), c);
                claimed.add(c);
            }
            return claimed;
        });
    }

    private static boolean sameDigest(Delivery.Target a, Delivery.Target b) {
        return Objects.equals(a.digestKey(), b.digestKey()) && a.recipientId().equals(b.recipientId())
                && a.channel() == b.channel();
    }

    @Override
    public Set<String> settle(List<Settlement> settlements) {
        return locked(() -> {
            Set<String> refused = new LinkedHashSet<>();
            for (Settlement st : settlements) {
                Delivery d = byId.get(st.deliveryId());
                if (d == null || d.state().claimedUntil() == null || !d.state().claimedUntil().equals(st.lease())) {
                    refused.add(st.deliveryId());
                    continue;
                }
                Delivery.State s = st.state();
                byId.put(d.id(), d.with(new Delivery.State(s.status(), s.reason(), s.attempts(), s.dueAt(), null, s.updatedAt())));
                // Under the outbox's lock: no claim or settle sees the row settled and its attempt missing.
                st.rows().forEach(log::append);
            }
            return refused;
        });
    }

    @Override
    public Optional<Delivery> replay(String deliveryId, Instant now) {
        return locked(() -> {
            Delivery d = byId.get(deliveryId);
            if (d == null || (d.status() != DeliveryStatus.DEAD && d.status() != DeliveryStatus.FAILED)) return Optional.empty();
            Delivery again = d.with(new Delivery.State(DeliveryStatus.PENDING, null, 0, now, null, now));
            byId.put(deliveryId, again);
            return Optional.of(again);
        });
    }

    @Override
    public int cancel(String notificationId, Delivery.Kind kind, String reason, Instant now) {
        return locked(() -> {
            List<Delivery> moot = byId.values().stream()
                    .filter(d -> d.target().notificationId().equals(notificationId) && d.target().kind() == kind
                            && d.status().waiting() && (d.state().claimedUntil() == null || !d.state().claimedUntil().isAfter(now)))
                    .toList();
            for (Delivery d : moot) {
                byId.put(d.id(), d.with(new Delivery.State(DeliveryStatus.SKIPPED, reason, d.state().attempts(),
                        d.state().dueAt(), null, now)));
            }
            return moot.size();
        });
    }

    @Override
    public List<Delivery> find(DeliveryQuery q) {
        return locked(() -> {
            if (q.deliveryId() != null) return Optional.ofNullable(byId.get(q.deliveryId())).map(List::of).orElse(List.of());
            boolean oneNotification = q.notificationId() != null;
            NavigableMap<String, Delivery> range = oneNotification ? byId
                    : (q.beforeId() == null ? byId : byId.headMap(q.beforeId(), false)).descendingMap();
            return range.values().stream()
                    .filter(d -> q.notificationId() == null || d.target().notificationId().equals(q.notificationId()))
                    .filter(d -> q.recipientId() == null || d.target().recipientId().equals(q.recipientId()))
                    .filter(d -> q.status() == null || d.status() == q.status())
                    .filter(d -> q.channel() == null || d.target().channel() == q.channel())
                    .limit(q.limit())
                    .toList();
        });
    }

    @Override
    public OutboxStats stats(Instant now) {
        return locked(() -> {
            Map<Priority, OutboxStats.Queue> queued = new EnumMap<>(Priority.class);
            for (Priority p : Priority.values()) {
                List<Delivery> due = byId.values().stream()
                        .filter(d -> d.target().priority() == p && d.status().waiting() && !d.state().dueAt().isAfter(now))
                        .toList();
                Duration oldest = due.stream().map(d -> Duration.between(d.state().dueAt(), now))
                        .max(Comparator.naturalOrder()).orElse(Duration.ZERO);
                queued.put(p, new OutboxStats.Queue(due.size(), oldest));
            }
            Map<Channel, Map<DeliveryStatus, Long>> counts = new EnumMap<>(Channel.class);
            for (Delivery d : byId.values()) {
                counts.computeIfAbsent(d.target().channel(), c -> new EnumMap<>(DeliveryStatus.class))
                        .merge(d.status(), 1L, Long::sum);
            }
            return new OutboxStats(queued, counts);
        });
    }

    int eraseUser(String userId) {
        return locked(() -> {
            List<String> ids = byId.values().stream().filter(d -> d.target().recipientId().equals(userId)).map(Delivery::id).toList();
            ids.forEach(byId::remove);
            return ids.size();
        });
    }

    /** Drops final rows created before {@code createdBefore} (retention). */
    int purge(Instant createdBefore) {
        return locked(() -> {
            List<String> ids = byId.values().stream()
                    .filter(d -> !d.status().waiting() && d.createdAt().isBefore(createdBefore)).map(Delivery::id).toList();
            ids.forEach(byId::remove);
            return ids.size();
        });
    }
}
