package dev.herald.core.ingest.rules;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.Json;
import dev.herald.core.notification.CreateNotification;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules of {@code HERALD_RULES_FILE}: which domain events become which notifications. Pure:
 * the file is parsed elsewhere (YAML in herald-server) and read here from its JSON tree
 * ({@link RulesReader}).
 */
public record EventRules(List<EventRule> rules) {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(/[^{}]*)}");

    public EventRules {
        rules = List.copyOf(rules);
        Set<String> names = new LinkedHashSet<>();
        for (EventRule r : rules) {
            if (!names.add(r.name())) throw new IllegalArgumentException("rule '" + r.name() + "': the name is used twice");
        }
    }

    /** The subjects to listen to, as written, in rule order and without repeats. */
    public List<String> subjects() {
        return List.copyOf(new LinkedHashSet<>(rules.stream().map(r -> r.subject().text()).toList()));
    }

    /** A rule that matched, and what it asks to create (or why it cannot). */
    public record Match(EventRule rule, CreateNotification request, String problem) {}

    /**
     * The notifications {@code event} on {@code subject} asks for, one per matching rule. A rule
     * whose recipients are missing from the event gives a {@link Match} with a {@code problem}
     * naming the rule and the pointer.
     *
     * @param eventKey the event's id (its {@code Nats-Msg-Id} or stream position); each rule makes
     *     {@code <rule>:<eventKey>} its idempotency key so a redelivered event is stored once
     */
    public List<Match> apply(String subject, JsonNode event, String eventKey, String caller) {
        List<Match> out = new ArrayList<>();
        for (EventRule rule : rules) {
            if (!rule.subject().matches(subject) || !passes(rule.when(), event)) continue;
            List<String> recipients = new ArrayList<>(rule.recipients().users());
            String problem = null;
            for (JsonPointer p : rule.recipients().from()) {
                JsonNode at = event.at(p);
                if (at.isTextual() && !at.textValue().isBlank()) {
                    recipients.add(at.textValue());
                } else if (at.isArray() && !at.isEmpty()) {
                    for (JsonNode item : at) {
                        if (item.isTextual()) recipients.add(item.textValue());
                        else problem = "rule '" + rule.name() + "': " + p + " holds a non-string recipient";
                    }
                } else if (rule.recipients().users().isEmpty()) {
                    problem = "rule '" + rule.name() + "': no recipient at " + p + " in the event";
                }
            }
            if (recipients.isEmpty() && problem == null) problem = "rule '" + rule.name() + "': no recipient in the event";
            out.add(problem != null ? new Match(rule, null, problem)
                    : new Match(rule, request(rule, recipients, event, eventKey, caller), null));
        }
        return out;
    }

    private static boolean passes(EventRule.Condition when, JsonNode event) {
        if (when == null) return true;
        JsonNode at = event.at(when.field());
        if (at.isMissingNode() || at.isNull() || at.isContainerNode()) return false;
        String value = at.asText();
        return when.equals() != null ? when.equals().equals(value) : when.in().contains(value);
    }

    private static CreateNotification request(EventRule rule, List<String> recipients, JsonNode event, String eventKey,
                                              String caller) {
        EventRule.Shape n = rule.notification();
        ObjectNode data = picked(n.data(), event);
        CreateNotification.TemplateRef template = n.template() == null ? null
                : new CreateNotification.TemplateRef(n.template(), picked(n.variables(), event), null);
        return new CreateNotification(recipients, n.type(), fill(n.title(), event), fill(n.message(), event), n.channel(),
                n.priority(), data.isEmpty() ? null : data, null, null, null, null, null,
                eventKey == null ? null : rule.name() + ":" + eventKey, caller,
                new CreateNotification.Routing(n.channels().isEmpty() ? null : n.channels(), null, null), template);
    }

    private static ObjectNode picked(Map<String, JsonPointer> fields, JsonNode event) {
        ObjectNode out = Json.object();
        fields.forEach((name, pointer) -> {
            JsonNode at = event.at(pointer);
            if (!at.isMissingNode()) out.set(name, at);
        });
        return out;
    }

    /** {@code {/pointer}} replaced by the event's value there as text (empty when missing). */
    static String fill(String text, JsonNode event) {
        if (text == null) return null;
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            JsonNode at = event.at(JsonPointer.compile(m.group(1)));
            String value = at.isMissingNode() || at.isNull() ? "" : at.isValueNode() ? at.asText() : at.toString();
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
