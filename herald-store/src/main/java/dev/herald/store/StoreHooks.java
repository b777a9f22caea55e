package dev.herald.store;

import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import dev.herald.store.crypto.FieldCipher;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * What the composition root adds to a store it opens, beyond {@link StoreConfig}'s settings: the
 * pool's metrics tracker (herald-server passes HikariCP's Micrometer tracker, so this module needs
 * no metrics library), the cipher for the sensitive columns, and the clock. {@link #NONE} adds
 * nothing: no pool meters, values stored as given.
 */
public record StoreHooks(Optional<MetricsTrackerFactory> poolMetrics, FieldCipher cipher, Clock clock) {
    public static final StoreHooks NONE = new StoreHooks(Optional.empty(), FieldCipher.none(), Clock.systemUTC());

    public StoreHooks {
        Objects.requireNonNull(poolMetrics, "poolMetrics");
        Objects.requireNonNull(cipher, "cipher");
        Objects.requireNonNull(clock, "clock");
    }

    public StoreHooks withPoolMetrics(MetricsTrackerFactory factory) {
        return new StoreHooks(Optional.of(factory), cipher, clock);
    }

    public StoreHooks withCipher(FieldCipher fieldCipher) {
        return new StoreHooks(poolMetrics, fieldCipher, clock);
    }

    public StoreHooks withClock(Clock c) {
        return new StoreHooks(poolMetrics, cipher, c);
    }
}
