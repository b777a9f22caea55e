package dev.herald.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.ingest.IngestDeadLetters;
import dev.herald.core.ingest.IngestDeadLetters.DeadLetter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What every {@link IngestDeadLetters} must do; each test's letters have a source of its own. */
public abstract class IngestDeadLettersContract extends PortContract {
    /** The dead letters kept beside {@link #storage}. */
    protected abstract IngestDeadLetters deadLetters();

    private DeadLetter letter(String id, String source) {
        DeadLetter d = new DeadLetter(id + "-" + run, source, "notifications.orders", "msg-" + id,
                "INVALID_ARGUMENT: type: required", "{\"recipients\":[\"ann\"],\"title\":\"é\"}", now());
        clock.advance(Duration.ofSeconds(1));
        return d;
    }

    @Test
    void keepsEveryFieldOfADeadLetter() {
        DeadLetter d = letter("a", "nats-" + run);

        deadLetters().record(d);

        assertThat(deadLetters().recent("nats-" + run, 10)).containsExactly(d);
    }

    @Test
    void aRedeliveredPoisonMessageIsKeptOnce() {
        DeadLetter d = letter("b", "nats-" + run);

        deadLetters().record(d);
        deadLetters().record(new DeadLetter(d.id(), d.source(), d.subject(), d.messageKey(), "second try", d.body(), now()));

        assertThat(deadLetters().recent("nats-" + run, 10)).containsExactly(d);
    }

    @Test
    void listsTheNewestFirstWithinTheLimitAndBySource() {
        DeadLetter first = letter("c1", "redis-" + run), second = letter("c2", "redis-" + run), third = letter("c3", "redis-" + run);
        DeadLetter other = letter("c4", "rules-" + run);
        for (DeadLetter d : new DeadLetter[] {first, second, third, other}) deadLetters().record(d);

        assertThat(deadLetters().recent("redis-" + run, 2)).containsExactly(third, second);
        assertThat(deadLetters().recent(null, 1000)).contains(first, second, third, other);
    }
}
