package dev.herald.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Map;

/**
 * The one check every edge runs on text it takes in: no U+0000 and no unpaired surrogate. Both are
 * legal in a Java string and in JSON ({@code "\u0000"}, {@code "\ud800"}) but not in stored text:
 * PostgreSQL refuses NUL in {@code text} columns (the request failed with a 500), SQLite keeps it,
 * and a lone surrogate cannot be encoded as UTF-8, so it was silently stored as {@code ?}. Refusing
 * both where the text enters makes every store hold, and every surface answer, the same.
 *
 * <p>Refusals are {@code INVALID_ARGUMENT} naming the field, as {@code "title: must not contain
 * U+0000"}; the offending text is never echoed back.
 */
public final class Text {
    private Text() {}

    /** What is wrong with {@code value}, or null when it is clean (null is clean). */
    public static String problem(CharSequence value) {
        if (value == null) return null;
        for (int i = 0, n = value.length(); i < n; i++) {
            char c = value.charAt(i);
            if (c == 0) return "must not contain U+0000";
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return unpaired(c);
            }
            if (Character.isLowSurrogate(c)) return unpaired(c);
        }
        return null;
    }

    private static String unpaired(char c) {
        return "must not contain an unpaired surrogate (U+" + Integer.toHexString(c).toUpperCase(Locale.ROOT) + ")";
    }

    /**
     * Returns {@code value} when it is clean.
     *
     * @throws HeraldException {@code INVALID_ARGUMENT} naming {@code field}
     */
    public static String require(String field, String value) {
        return require(ErrorCode.INVALID_ARGUMENT, field, value);
    }

    /** As {@link #require(String, String)}, refusing with {@code code} (e.g. INVALID_TOKEN for a claim). */
    public static String require(ErrorCode code, String field, String value) {
        String problem = problem(value);
        if (problem != null) throw new HeraldException(code, field + ": " + problem);
        return value;
    }

    /**
     * Checks every string value and every field name of a JSON tree. The refusal names the JSON path
     * below {@code root}: {@code recipients[0]}, {@code data.note}, or {@code root} itself.
     *
     * @param root the tree's own name, "" for a request body (paths then start at its fields)
     * @throws HeraldException {@code INVALID_ARGUMENT} naming the path
     */
    public static void requireTree(String root, JsonNode node) {
        if (node == null) return;
        if (node.isTextual()) {
            require(root.isEmpty() ? "value" : root, node.textValue());
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) requireTree(root + "[" + i + "]", node.get(i));
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String problem = problem(field.getKey());
                if (problem != null) {
                    // The name itself is the bad text: point at its parent, not at an unprintable path.
                    throw new HeraldException(ErrorCode.INVALID_ARGUMENT,
                            (root.isEmpty() ? "a field name" : root + ": a field name") + " " + problem);
                }
                requireTree(root.isEmpty() ? field.getKey() : root + "." + field.getKey(), field.getValue());
            }
        }
    }
}
