package dev.herald.core.memory;

import dev.herald.core.route.RoomDirectory;
import dev.herald.core.route.RoomDirectoryContract;

class MemoryRoomDirectoryTest extends RoomDirectoryContract {
    private final MemoryRoomDirectory shared = new MemoryRoomDirectory();

    @Override
    protected RoomDirectory directory(String nodeId) {
        return shared;
    }
}
