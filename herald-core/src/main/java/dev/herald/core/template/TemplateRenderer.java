package dev.herald.core.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * The template engine (herald-channels: Pebble with ICU MessageFormat). Core picks the variant and
 * the locale; the engine only turns one variant and its variables into text.
 *
 * <p>Threading: thread-safe; CPU-bound, never blocks.
 */
public interface TemplateRenderer {
    /**
     * Renders every part: {@code subject} and {@code body} as plain text, {@code html} with every
     * variable HTML-escaped.
     *
     * @param variables a JSON object (null: none)
     * @param locale the language plural and select rules and number formats follow
     * @throws RenderFailure when a part does not parse or an expression fails
     */
    Rendered render(Template template, JsonNode variables, Locale locale);

    /** Parses every part without rendering; {@link RenderFailure} naming the part that does not parse. */
    void check(Template template);

    /** The rendered parts; {@code html} null when the variant has none. */
    record Rendered(String subject, String body, String html) {}
}
