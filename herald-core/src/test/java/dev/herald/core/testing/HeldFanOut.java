package dev.herald.core.testing;

import dev.herald.core.deliver.live.OutboundEvent;
import dev.herald.core.deliver.live.Session;
import dev.herald.core.route.FanOut;
import dev.herald.core.route.FanOutBacklog;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;

/** A fan-out whose "event loop" runs only when the test says so: deliveries wait, counted, until {@link #drain}. */
public final class HeldFanOut implements FanOut {
    private final FanOutBacklog backlog;
    private final Queue<Runnable> held = new ArrayDeque<>();

    public HeldFanOut(long limit) {
        this.backlog = new FanOutBacklog(limit);
    }

    @Override
    public synchronized int deliver(List<Session> sessions, OutboundEvent event) {
        List<Session> open = sessions.stream().filter(Session::isOpen).toList();
        backlog.handedOff(open.size());
        held.add(() -> {
            for (Session s : open) s.send(event);
            backlog.written(open.size());
        });
        return open.size();
    }

    @Override
    public FanOutBacklog backlog() {
        return backlog;
    }

    /** Runs every held hand-off, in order. */
    public synchronized void drain() {
        Runnable r;
        while ((r = held.poll()) != null) r.run();
    }
}
