package dev.herald.core.memory;

import dev.herald.core.ingest.IngestDeadLetters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link IngestDeadLetters} in memory, for tests and a store-less node; lost at restart. */
public final class MemoryIngestDeadLetters implements IngestDeadLetters {
    private final Map<String, DeadLetter> letters = new LinkedHashMap<>();

    @Override
    public synchronized void record(DeadLetter letter) {
        letters.putIfAbsent(letter.id(), letter);
    }

    @Override
    public synchronized List<DeadLetter> recent(String source, int limit) {
        List<DeadLetter> out = new ArrayList<>();
        for (DeadLetter d : letters.values()) if (source == null || d.source().equals(source)) out.add(d);
        out.sort(Comparator.comparing(DeadLetter::receivedAt).reversed());
        return List.copyOf(out.subList(0, Math.min(limit, out.size())));
    }
}
