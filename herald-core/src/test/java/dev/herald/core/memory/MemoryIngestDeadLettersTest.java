package dev.herald.core.memory;

import dev.herald.core.ingest.IngestDeadLetters;
import dev.herald.core.store.IngestDeadLettersContract;
import dev.herald.core.store.Storage;

class MemoryIngestDeadLettersTest extends IngestDeadLettersContract {
    private final MemoryIngestDeadLetters letters = new MemoryIngestDeadLetters();

    @Override
    protected Storage newStorage() {
        return new MemoryNotificationStore().storage();
    }

    @Override
    protected IngestDeadLetters deadLetters() {
        return letters;
    }
}
