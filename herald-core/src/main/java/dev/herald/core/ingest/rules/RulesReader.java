package dev.herald.core.ingest.rules;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the rules file's tree ({@code {rules: [...]}}, parsed from YAML by the caller) into
 * {@link EventRules}. Every mistake is an {@link IllegalArgumentException} naming the rule by
 * position and name and the field, e.g. {@code rules[2] (compliance-alert): notification.type is
 * required}; unknown fields are refused, since a misspelt {@code recipents} would silently match
 * nobody.
 */
public final class RulesReader {
    private static final Set<String> RULE_FIELDS = Set.of("name", "subject", "when", "notification", "recipients");
    private static final Set<String> WHEN_FIELDS = Set.of("field", "equals", "in");
    private static final Set<String> RECIPIENT_FIELDS = Set.of("from", "users");
    private static final Set<String> SHAPE_FIELDS = Set.of("type", "template", "priority", "channels", "channel", "title",
            "message", "variables", "data");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(/[^{}]*)}");

    private RulesReader() {}

    public static EventRules read(JsonNode root) {
        if (root == null || !root.isObject() || !root.path("rules").isArray()) {
            throw new IllegalArgumentException("the rules file must be a map with a list 'rules'");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("rules")) throw new IllegalArgumentException(f + ": unknown field (the file holds 'rules')");
        }
        List<EventRule> rules = new ArrayList<>();
        int i = 0;
        for (JsonNode node : root.get("rules")) {
            String label = "rules[" + i++ + "]" + (node.path("name").isTextual() ? " (" + node.get("name").textValue() + ")" : "");
            try {
                rules.add(rule(node));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(label + ": " + e.getMessage(), e);
            }
        }
        try {
            return new EventRules(rules);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static EventRule rule(JsonNode node) {
        known(node, RULE_FIELDS, "");
        JsonNode when = node.get("when");
        EventRule.Condition condition = null;
        if (when != null && !when.isNull()) {
            known(when, WHEN_FIELDS, "when.");
            condition = new EventRule.Condition(pointer(required(when, "field", "when.field"), "when.field"),
                    text(when, "equals", "when.equals"), list(when.get("in"), "when.in"));
        }
        JsonNode r = node.get("recipients");
        if (r == null || !r.isObject()) throw new IllegalArgumentException("recipients is required ({from: [/json/pointer], users: [ids]})");
        known(r, RECIPIENT_FIELDS, "recipients.");
        List<JsonPointer> from = new ArrayList<>();
        List<String> fromText = list(r.get("from"), "recipients.from");
        if (fromText != null) for (String p : fromText) from.add(pointer(p, "recipients.from"));
        List<String> users = list(r.get("users"), "recipients.users");
        EventRule.Recipients recipients = new EventRule.Recipients(from, users == null ? List.of() : users);
        return new EventRule(text(node, "name", "name"), new SubjectPattern(required(node, "subject", "subject")),
                condition, shape(node.get("notification")), recipients);
    }

    private static EventRule.Shape shape(JsonNode n) {
        if (n == null || !n.isObject()) throw new IllegalArgumentException("notification is required (type, title, message, channels, ...)");
        known(n, SHAPE_FIELDS, "notification.");
        String title = text(n, "title", "notification.title"), message = text(n, "message", "notification.message");
        placeholders(title, "notification.title");
        placeholders(message, "notification.message");
        List<String> channels = list(n.get("channels"), "notification.channels");
        return new EventRule.Shape(text(n, "type", "notification.type"), text(n, "template", "notification.template"),
                text(n, "priority", "notification.priority"), channels == null ? List.of() : channels,
                text(n, "channel", "notification.channel"), title, message, pointers(n.get("variables"), "notification.variables"),
                pointers(n.get("data"), "notification.data"));
    }

    private static void known(JsonNode node, Set<String> fields, String prefix) {
        if (!node.isObject()) throw new IllegalArgumentException((prefix.isEmpty() ? "a rule" : prefix.substring(0, prefix.length() - 1)) + " must be a map");
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!fields.contains(f)) throw new IllegalArgumentException(prefix + f + ": unknown field");
        }
    }

    private static String required(JsonNode node, String field, String label) {
        String v = text(node, field, label);
        if (v == null || v.isBlank()) throw new IllegalArgumentException(label + " is required");
        return v;
    }

    private static String text(JsonNode node, String field, String label) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isValueNode()) throw new IllegalArgumentException(label + " must be a string");
        return v.asText();
    }

    /** A list of strings; a single string is a list of one. */
    private static List<String> list(JsonNode v, String label) {
        if (v == null || v.isNull()) return null;
        if (v.isValueNode()) return List.of(v.asText());
        if (!v.isArray()) throw new IllegalArgumentException(label + " must be a list");
        List<String> out = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isValueNode() || item.isNull()) throw new IllegalArgumentException(label + " must be a list of strings");
            out.add(item.asText());
        }
        return out;
    }

    private static Map<String, JsonPointer> pointers(JsonNode v, String label) {
        Map<String, JsonPointer> out = new LinkedHashMap<>();
        if (v == null || v.isNull()) return out;
        if (!v.isObject()) throw new IllegalArgumentException(label + " must be a map of name: /json/pointer");
        v.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual()) throw new IllegalArgumentException(label + "." + e.getKey() + " must be a JSON pointer string");
            out.put(e.getKey(), pointer(e.getValue().textValue(), label + "." + e.getKey()));
        });
        return out;
    }

    private static JsonPointer pointer(String text, String label) {
        if (text == null || !text.startsWith("/")) throw new IllegalArgumentException(label + ": '" + text + "' is not a JSON pointer (e.g. /payer/userId)");
        try {
            return JsonPointer.compile(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(label + ": '" + text + "' is not a JSON pointer (" + e.getMessage() + ")");
        }
    }

    private static void placeholders(String text, String label) {
        if (text == null) return;
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) pointer(m.group(1), label);
    }
}
