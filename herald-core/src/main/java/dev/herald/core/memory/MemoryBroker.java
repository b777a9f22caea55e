package dev.herald.core.memory;

import dev.herald.core.route.Broker;
import dev.herald.core.route.BrokerListener;
import dev.herald.core.route.RoomMessage;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The single-node broker, and the reference behaviour for the others. Brokers made on one
 * {@link Bus} behave as nodes of one cluster (used by tests). Messages are delivered synchronously
 * on the publisher's thread, which keeps per-room order trivially.
 */
public final class MemoryBroker implements Broker {
    /** The shared medium of a set of in-memory nodes. */
    public static final class Bus {
        private final List<MemoryBroker> nodes = new CopyOnWriteArrayList<>();
    }

    private final Bus bus;
    private final Set<String> rooms = ConcurrentHashMap.newKeySet();
    private volatile BrokerListener listener;

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
    public void subscribe(String room) {
        rooms.add(room);
    }

    @Override
    public void unsubscribe(String room) {
        rooms.remove(room);
    }

    @Override
    public CompletionStage<Void> publish(String room, RoomMessage message) {
        for (MemoryBroker node : bus.nodes) {
            BrokerListener l = node.listener;
            if (l != null && node.rooms.contains(room)) l.onMessage(room, message);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {
        bus.nodes.remove(this);
        listener = null;
    }
}
