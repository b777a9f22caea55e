package dev.herald.core.ingest.rules;

import com.fasterxml.jackson.core.JsonPointer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One rule of {@code HERALD_RULES_FILE}: an event on a subject matching {@code subject} (and
 * passing {@code when}) becomes a notification shaped by {@code notification} to the users
 * {@code recipients} names. Checked when built; the message names the rule.
 *
 * @param when null when every event on the subject matches
 */
public record EventRule(String name, SubjectPattern subject, Condition when, Shape notification, Recipients recipients) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:\\-]{1,100}");

    public EventRule {
        if (name == null || !NAME.matcher(name).matches()) throw new IllegalArgumentException("name: 1-100 letters, digits or _ . : -");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(notification, "notification");
        Objects.requireNonNull(recipients, "recipients");
    }

    /**
     * A field of the event compared as text: {@code equals} one value or {@code in} a list (one of
     * the two). A missing field never matches.
     */
    public record Condition(JsonPointer field, String equals, List<String> in) {
        public Condition {
            Objects.requireNonNull(field, "when.field");
            if ((equals == null) == (in == null)) throw new IllegalArgumentException("when: give equals or in (one of them)");
            in = in == null ? null : List.copyOf(in);
            if (in != null && in.isEmpty()) throw new IllegalArgumentException("when.in: at least one value");
        }
    }

    /** Users by JSON pointer into the event (each a string or an array of strings) and/or a fixed list. */
    public record Recipients(List<JsonPointer> from, List<String> users) {
        public Recipients {
            from = List.copyOf(from);
            users = List.copyOf(users);
            if (from.isEmpty() && users.isEmpty()) throw new IllegalArgumentException("recipients: give from (JSON pointers) or users");
            for (String u : users) if (u == null || u.isBlank()) throw new IllegalArgumentException("recipients.users: a user id is blank");
        }
    }

    /**
     * The notification: {@code title} and {@code message} may hold {@code {/json/pointer}}
     * placeholders filled from the event; {@code variables} and {@code data} map a name to a JSON
     * pointer into the event (what the template renderer and the client get).
     *
     * @param template null when none; {@code channels} empty means in-app only
     */
    public record Shape(String type, String template, String priority, List<String> channels, String channel, String title,
                        String message, Map<String, JsonPointer> variables, Map<String, JsonPointer> data) {
        public Shape {
            if (type == null || type.isBlank()) throw new IllegalArgumentException("notification.type is required");
            channels = List.copyOf(channels);
            // In the file's order: the client sees data's fields as the rule lists them.
            variables = Collections.unmodifiableMap(new LinkedHashMap<>(variables));
            data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
            // The pipeline stores title and message in the inbox even when a template renders the channels.
            if (title == null && message == null) throw new IllegalArgumentException("notification: give a title or a message");
            if (!variables.isEmpty() && template == null) throw new IllegalArgumentException("notification.variables needs a template");
        }
    }
}
