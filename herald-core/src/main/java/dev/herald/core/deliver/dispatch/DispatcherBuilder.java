package dev.herald.core.deliver.dispatch;

import dev.herald.core.notification.Channel;
import dev.herald.core.route.PresenceRegistry;
import dev.herald.core.store.Storage;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/** Assembles a {@link Dispatcher}; storage, presence and clock are required, the rest has defaults. */
public final class DispatcherBuilder {
    Storage storage;
    PresenceRegistry presence;
    Clock clock;
    final Map<Channel, ChannelSender> senders = new EnumMap<>(Channel.class);
    MessageRenderer renderer = new PlainRenderer();
    DispatchConfig config = DispatchConfig.defaults();
    DispatchObserver observer = DispatchObserver.NONE;
    DeliveryEvents events = DeliveryEvents.none();
    RandomGenerator random = RandomGenerator.getDefault();
    RateLimits rateLimits = RateLimits.none();

    DispatcherBuilder() {}

    public DispatcherBuilder storage(Storage value) {
        this.storage = value;
        return this;
    }

    /** Where fallbacks look whether the user has a live socket (cluster-wide with Redis). */
    public DispatcherBuilder presence(PresenceRegistry value) {
        this.presence = value;
        return this;
    }

    public DispatcherBuilder clock(Clock value) {
        this.clock = value;
        return this;
    }

    /** The channel senders; a channel without one fails its deliveries with {@code channel_not_configured}. */
    public DispatcherBuilder senders(List<ChannelSender> value) {
        value.forEach(s -> senders.put(s.channel(), s));
        return this;
    }

    public DispatcherBuilder renderer(MessageRenderer value) {
        this.renderer = Objects.requireNonNull(value, "renderer");
        return this;
    }

    public DispatcherBuilder config(DispatchConfig value) {
        this.config = Objects.requireNonNull(value, "config");
        return this;
    }

    public DispatcherBuilder observer(DispatchObserver value) {
        this.observer = Objects.requireNonNull(value, "observer");
        return this;
    }

    public DispatcherBuilder events(DeliveryEvents value) {
        this.events = Objects.requireNonNull(value, "events");
        return this;
    }

    /** Per-user, per-channel sends per hour, counted in the storage's {@code rates()}; none by default. */
    public DispatcherBuilder rateLimits(RateLimits value) {
        this.rateLimits = Objects.requireNonNull(value, "rateLimits");
        return this;
    }

    /** The jitter's source; a seeded one makes backoff repeatable in tests. */
    public DispatcherBuilder random(RandomGenerator value) {
        this.random = Objects.requireNonNull(value, "random");
        return this;
    }

    public Dispatcher build() {
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(presence, "presence");
        Objects.requireNonNull(clock, "clock");
        return new Dispatcher(storage.outbox(), new DeliveryWorker(this), clock, config);
    }
}
