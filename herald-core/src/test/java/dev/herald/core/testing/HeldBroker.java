package dev.herald.core.testing;

import dev.herald.core.memory.MemoryBroker;
import dev.herald.core.route.Broker;
import dev.herald.core.route.BrokerListener;
import dev.herald.core.route.RoomMessage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-memory broker whose subscriptions are confirmed only when the test says so, as a real
 * broker's are one round trip later. Messages flow as {@link MemoryBroker}'s do.
 */
public final class HeldBroker implements Broker {
    private final MemoryBroker medium = new MemoryBroker();
    private final List<CompletableFuture<Void>> held = new CopyOnWriteArrayList<>();

    @Override
    public void start(BrokerListener listener) {
        medium.start(listener);
    }

    @Override
    public CompletionStage<Void> subscribe(String room) {
        medium.subscribe(room);
        CompletableFuture<Void> f = new CompletableFuture<>();
        held.add(f);
        return f;
    }

    @Override
    public void unsubscribe(String room) {
        medium.unsubscribe(room);
    }

    @Override
    public CompletionStage<Void> publish(String room, RoomMessage message) {
        return medium.publish(room, message);
    }

    /** Confirms every subscription asked for so far. */
    public void confirm() {
        held.forEach(f -> f.complete(null));
    }

    /** Refuses every subscription asked for so far and not yet confirmed. */
    public void refuse(RuntimeException why) {
        held.forEach(f -> f.completeExceptionally(why));
    }

    /** How many subscriptions were asked for. */
    public int asked() {
        return held.size();
    }

    @Override
    public void close() {
        medium.close();
    }
}
