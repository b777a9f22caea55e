package dev.herald.core.memory;

import dev.herald.core.deliver.dispatch.DeliveryEvents;
import dev.herald.core.deliver.dispatch.StatusEvent;
import java.util.ArrayList;
import java.util.List;

/** Records every status event in memory, in the order heard: the reference {@link DeliveryEvents} for tests. */
public final class MemoryDeliveryEvents implements DeliveryEvents {
    private final List<StatusEvent> events = new ArrayList<>();

    @Override
    public synchronized void statusChanged(StatusEvent event) {
        events.add(event);
    }

    /** Every event heard, oldest first. */
    public synchronized List<StatusEvent> all() {
        return new ArrayList<>(events);
    }
}
