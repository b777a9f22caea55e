package dev.herald.core.ingest.rules;

import java.util.Arrays;
import java.util.List;

/**
 * A NATS subject pattern: dot-separated tokens where {@code *} matches exactly one token and a
 * final {@code >} matches one or more (as NATS itself matches), so a rule's subject means what it
 * would mean to a NATS subscription.
 */
public record SubjectPattern(String text) {
    public SubjectPattern {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("subject is required");
        List<String> tokens = Arrays.asList(text.split("\\.", -1));
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if (t.isEmpty()) throw new IllegalArgumentException("subject '" + text + "' has an empty token");
            if (t.chars().anyMatch(c -> c <= ' ')) throw new IllegalArgumentException("subject '" + text + "' contains white space");
            if (t.equals(">") && i != tokens.size() - 1) throw new IllegalArgumentException("subject '" + text + "': > must be the last token");
            if (t.length() > 1 && (t.contains("*") || t.contains(">"))) {
                throw new IllegalArgumentException("subject '" + text + "': * and > must be whole tokens");
            }
        }
    }

    public boolean matches(String subject) {
        String[] pattern = text.split("\\.", -1);
        String[] given = subject.split("\\.", -1);
        for (int i = 0; i < pattern.length; i++) {
            if (pattern[i].equals(">")) return given.length > i;
            if (i >= given.length) return false;
            if (!pattern[i].equals("*") && !pattern[i].equals(given[i])) return false;
        }
        return given.length == pattern.length;
    }

    @Override
    public String toString() {
        return text;
    }
}
