package dev.herald.core.ingest.rules;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.ingest.CreateRequestHandler;
import dev.herald.core.ingest.IngestHandler;
import dev.herald.core.ingest.IngestMessage;
import dev.herald.core.ingest.IngestOutcome;
import dev.herald.core.ingest.NotificationIntake;
import dev.herald.core.notification.Created;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A domain event (any JSON object) turned into notifications by {@link EventRules}, each through
 * {@link NotificationIntake}. An event no rule matches is {@link IngestOutcome.Skipped}; one a
 * matching rule cannot serve (recipient missing, a field the pipeline refuses) is poison. Each
 * rule's notification has its own idempotency key ({@code <rule>:<event key>}), so when one of two
 * rules failed transiently, the redelivered event stores the other one once.
 */
public final class EventRuleHandler implements IngestHandler {
    private final NotificationIntake intake;
    private final EventRules rules;
    private final String caller;

    public EventRuleHandler(NotificationIntake intake, EventRules rules, String caller) {
        this.intake = Objects.requireNonNull(intake, "intake");
        this.rules = Objects.requireNonNull(rules, "rules");
        this.caller = Objects.requireNonNull(caller, "caller");
    }

    @Override
    public IngestOutcome handle(IngestMessage message) {
        JsonNode event;
        try {
            event = CreateRequestHandler.parse(message.body());
        } catch (IllegalArgumentException e) {
            return new IngestOutcome.Poison(e.getMessage());
        }
        if (!event.isObject()) return new IngestOutcome.Poison("INVALID_ARGUMENT: an event must be a JSON object");
        List<EventRules.Match> matches = rules.apply(message.subject(), event, message.messageKey(), caller);
        if (matches.isEmpty()) return new IngestOutcome.Skipped("no rule matches " + message.subject());
        List<Created> created = new ArrayList<>();
        IngestOutcome failure = null;
        for (EventRules.Match m : matches) {
            if (m.problem() != null) {
                failure = failure instanceof IngestOutcome.Retry ? failure : new IngestOutcome.Poison("INVALID_ARGUMENT: " + m.problem());
                continue;
            }
            try {
                created.add(intake.create(m.request()));
            } catch (RuntimeException e) {
                IngestOutcome f = IngestOutcome.ofFailure(e);
                String reason = "rule '" + m.rule().name() + "': " + (f instanceof IngestOutcome.Poison p ? p.reason() : ((IngestOutcome.Retry) f).reason());
                // A transient failure wins: the redelivery retries it, and the rules already stored answer from their keys.
                failure = f instanceof IngestOutcome.Retry || failure instanceof IngestOutcome.Retry
                        ? new IngestOutcome.Retry(reason) : new IngestOutcome.Poison(reason);
            }
        }
        return failure != null ? failure : new IngestOutcome.Stored(created);
    }
}
