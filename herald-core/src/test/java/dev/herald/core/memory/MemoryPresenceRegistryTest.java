package dev.herald.core.memory;

import dev.herald.core.route.PresenceRegistry;
import dev.herald.core.route.PresenceRegistryContract;

class MemoryPresenceRegistryTest extends PresenceRegistryContract {
    @Override
    protected PresenceRegistry newRegistry() {
        return new MemoryPresenceRegistry();
    }
}
