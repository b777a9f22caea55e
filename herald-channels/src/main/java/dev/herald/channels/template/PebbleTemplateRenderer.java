package dev.herald.channels.template;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.template.RenderFailure;
import dev.herald.core.template.Template;
import dev.herald.core.template.TemplateRenderer;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.extension.AbstractExtension;
import io.pebbletemplates.pebble.extension.Function;
import io.pebbletemplates.pebble.loader.StringLoader;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@link TemplateRenderer} on Pebble 3.2 and ICU4J: {@code html} renders with Pebble's HTML
 * auto-escaping (a variable holding {@code <script>} arrives as {@code &lt;script&gt;}),
 * {@code subject} and {@code body} render plain (text, SMS and push are not HTML); ICU blocks
 * format plurals and selects ({@link IcuBlocks}). Variables a template uses but the create did not
 * give render empty: a template declares the ones it cannot do without.
 *
 * <p>Threading: thread-safe. Compiled parts are cached by source (bounded), so a hot template is
 * parsed once.
 */
public final class PebbleTemplateRenderer implements TemplateRenderer {
    private static final int CACHE_SIZE = 2048;

    private record Compiled(PebbleTemplate template, List<String> blocks) {}

    private record CacheKey(boolean html, String source) {}

    private final PebbleEngine plain = engine(false);
    private final PebbleEngine escaped = engine(true);
    private final Map<CacheKey, Compiled> cache = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<CacheKey, Compiled> eldest) {
            return size() > CACHE_SIZE;
        }
    });

    private static PebbleEngine engine(boolean html) {
        return new PebbleEngine.Builder().loader(new StringLoader()).autoEscaping(html).defaultEscapingStrategy("html")
                .strictVariables(false).newLineTrimming(false).cacheActive(false)
                .extension(new AbstractExtension() {
                    @Override
                    public Map<String, Function> getFunctions() {
                        return Map.of(IcuBlocks.FUNCTION, new IcuFunction());
                    }
                }).build();
    }

    /** {@code icu(n)}: formats the n-th ICU block of the part being rendered. */
    private static final class IcuFunction implements Function {
        @Override
        public List<String> getArgumentNames() {
            return List.of("index");
        }

        @Override
        @SuppressWarnings("unchecked")
        public Object execute(Map<String, Object> args, PebbleTemplate self, EvaluationContext context, int lineNumber) {
            List<String> blocks = (List<String>) context.getVariable(IcuBlocks.CONTEXT_KEY);
            Map<String, Object> variables = (Map<String, Object>) context.getVariable(VARIABLES_KEY);
            int index = ((Number) args.get("index")).intValue();
            return IcuBlocks.format(blocks.get(index), context.getLocale(), variables);
        }
    }

    private static final String VARIABLES_KEY = "__variables";

    @Override
    public Rendered render(Template t, JsonNode variables, Locale locale) {
        Map<String, Object> vars = toJava(variables);
        return new Rendered(render("subject", t.subject(), false, vars, locale), render("body", t.body(), false, vars, locale),
                t.html() == null ? null : render("html", t.html(), true, vars, locale));
    }

    @Override
    public void check(Template t) {
        compile("subject", t.subject(), false);
        compile("body", t.body(), false);
        if (t.html() != null) compile("html", t.html(), true);
    }

    private Compiled compile(String part, String source, boolean html) {
        CacheKey key = new CacheKey(html, source);
        Compiled c = cache.get(key);
        if (c != null) return c;
        try {
            IcuBlocks.Split split = IcuBlocks.split(source);
            c = new Compiled((html ? escaped : plain).getTemplate(split.pebble()), split.blocks());
        } catch (PebbleException | IllegalArgumentException e) {
            throw new RenderFailure(part + ": " + describe(e), e);
        }
        cache.put(key, c);
        return c;
    }

    private String render(String part, String source, boolean html, Map<String, Object> vars, Locale locale) {
        if (source.isEmpty()) return "";
        Compiled c = compile(part, source, html);
        Map<String, Object> context = new HashMap<>(vars);
        context.put(IcuBlocks.CONTEXT_KEY, c.blocks());
        context.put(VARIABLES_KEY, vars);
        StringWriter out = new StringWriter();
        try {
            c.template().evaluate(out, context, locale);
        } catch (PebbleException | IllegalArgumentException | ClassCastException e) {
            throw new RenderFailure(part + ": " + describe(e), e);
        } catch (IOException e) {
            throw new IllegalStateException("a StringWriter does not fail", e);
        }
        return out.toString();
    }

    // Pebble's message for a StringLoader template repeats the whole source as the file name: keep the complaint.
    private static String describe(Exception e) {
        String m = e instanceof PebbleException p && p.getPebbleMessage() != null ? p.getPebbleMessage() : e.getMessage();
        if (e instanceof PebbleException p && p.getLineNumber() != null) m = m + " (line " + p.getLineNumber() + ")";
        m = m == null ? e.getClass().getSimpleName() : m;
        return m.length() <= 300 ? m : m.substring(0, 300) + "…";
    }

    /** A JSON object as Pebble and ICU read it: maps, lists, numbers, strings, booleans. */
    static Map<String, Object> toJava(JsonNode variables) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (variables == null || !variables.isObject()) return out;
        variables.properties().forEach(e -> out.put(e.getKey(), value(e.getValue())));
        return out;
    }

    private static Object value(JsonNode n) {
        if (n.isObject()) return toJava(n);
        if (n.isArray()) {
            List<Object> list = new ArrayList<>();
            n.forEach(e -> list.add(value(e)));
            return list;
        }
        if (n.isIntegralNumber()) return n.canConvertToLong() ? (Object) n.longValue() : n.bigIntegerValue();
        if (n.isNumber()) return n.isBigDecimal() ? n.decimalValue() : (Object) BigDecimal.valueOf(n.doubleValue());
        if (n.isBoolean()) return n.booleanValue();
        if (n.isNull()) return null;
        return n.asText();
    }
}
