package dev.herald.core.memory;

import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.route.Broker;
import dev.herald.core.route.BrokerListener;
import dev.herald.core.route.RoomMessage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The single-node broker, and the reference behaviour for the others. Brokers made on one
 * {@link Bus} behave as nodes of one cluster (used by tests). Messages are delivered synchronously
 * on the publisher's thread, which keeps per-room order trivially.
 *
 * <p>An in-memory node has no link to lose; {@link #cutLink} and {@link #restoreLink} make one fail
 * and come back as a real broker would (publications refused, messages for it lost, the listener
 * told), so outage handling can be tested without a network. A subscription made while the link
 * is cut is confirmed when it is restored, as Redis confirms a SUBSCRIBE queued during an outage
 * only after the reconnect; otherwise at once.
 */
public final class MemoryBroker implements Broker {
    /** The shared medium of a set of in-memory nodes. */
    public static final class Bus {
        private final List<MemoryBroker> nodes = new CopyOnWriteArrayList<>();
    }

    private final Bus bus;
    private final Set<String> rooms = ConcurrentHashMap.newKeySet();
    private volatile BrokerListener listener;
    private volatile boolean cut;
    private final Map<String, CompletableFuture<Void>> unconfirmed = new ConcurrentHashMap<>();

    public MemoryBroker() {
        this(new Bus());
    }

    public MemoryBroker(Bus bus) {
        this.bus = bus;
    }

    @Override
    public void start(BrokerListener listener) {
        this.listener = listener;
        bus.nodes.add(this);
    }

    @Override
    public synchronized CompletionStage<Void> subscribe(String room) {
        rooms.add(room);
        if (!cut) return CompletableFuture.completedFuture(null);
        return unconfirmed.computeIfAbsent(room, r -> new CompletableFuture<>());
    }

    @Override
    public void unsubscribe(String room) {
        rooms.remove(room);
    }

    @Override
    public CompletionStage<Void> publish(String room, RoomMessage message) {
        if (cut) return CompletableFuture.failedFuture(new HeraldException(ErrorCode.BROKER_UNAVAILABLE, "the broker link is down"));
        for (MemoryBroker node : bus.nodes) {
            BrokerListener l = node.listener;
            if (l != null && !node.cut && node.rooms.contains(room)) l.onMessage(room, message);
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Simulates losing the link at {@code since}: publications fail and this node hears nothing until {@link #restoreLink}. */
    public synchronized void cutLink(Instant since) {
        if (cut) return;
        cut = true;
        BrokerListener l = listener;
        if (l != null) l.linkDown(since);
    }

    /** Ends a simulated outage; the node's subscriptions are as they were. */
    public synchronized void restoreLink() {
        if (!cut) return;
        cut = false;
        unconfirmed.values().forEach(f -> f.complete(null));
        unconfirmed.clear();
        BrokerListener l = listener;
        if (l != null) l.linkUp();
    }

    @Override
    public void close() {
        bus.nodes.remove(this);
        listener = null;
    }
}
