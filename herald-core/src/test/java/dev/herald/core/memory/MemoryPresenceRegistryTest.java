package dev.herald.core.memory;

import dev.herald.core.presence.PresenceRegistry;
import dev.herald.core.presence.PresenceRegistryContract;

class MemoryPresenceRegistryTest extends PresenceRegistryContract {
    @Override
    protected PresenceRegistry newRegistry() {
        return new MemoryPresenceRegistry();
    }
}
