package dev.herald.core.template;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.notification.Channel;
import dev.herald.core.notification.CreateNotification.TemplateRef;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Templates as the rest of Herald uses them: which variant a recipient gets (locale fallback
 * {@code fr-CA → fr → default}), the create-time check, previews, and rendering at send time of
 * the revision a notification recorded. Core only: the engine is the {@link TemplateRenderer} port.
 *
 * <p>Threading: thread-safe; blocks on the store (call from virtual threads).
 */
public final class Templates implements TemplateCheck {
    private static final int CACHE_SIZE = 4096;
    private static final int MAX_TITLE = 500;
    private static final int MAX_MESSAGE = 10_000;

    private final TemplateStore store;
    private final TemplateRenderer renderer;
    // Keyed by a past revision, an answer never changes (TemplateStore's guarantee).
    private final Map<VariantAt, Optional<Template>> cache = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<VariantAt, Optional<Template>> eldest) {
            return size() > CACHE_SIZE;
        }
    });

    private record VariantAt(String key, Channel channel, String locale, long revision) {}

    public Templates(TemplateStore store, TemplateRenderer renderer) {
        this.store = Objects.requireNonNull(store, "store");
        this.renderer = Objects.requireNonNull(renderer, "renderer");
    }

    public TemplateStore store() {
        return store;
    }

    public TemplateRenderer renderer() {
        return renderer;
    }

    /**
     * The locales to try, best first, ending with {@link Template#DEFAULT_LOCALE}: each tag's
     * subtags are dropped one by one ({@code zh-Hant-TW → zh-Hant → zh}). Blank or malformed tags
     * are passed over.
     */
    public static List<String> fallbacks(String... tags) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String tag : tags) {
            String t;
            try {
                t = Template.canonicalLocale(tag);
            } catch (HeraldException e) {
                continue;
            }
            while (!t.equals(Template.DEFAULT_LOCALE)) {
                out.add(t);
                int dash = t.lastIndexOf('-');
                if (dash < 0) break;
                t = t.substring(0, dash);
            }
        }
        out.add(Template.DEFAULT_LOCALE);
        return List.copyOf(out);
    }

    /** The first variant of {@code channel} in {@code locales}' order, among {@code variants}. */
    static Optional<Template> pick(List<Template> variants, Channel channel, List<String> locales) {
        for (String l : locales) {
            for (Template t : variants) if (t.channel() == channel && t.locale().equals(l)) return Optional.of(t);
        }
        return Optional.empty();
    }

    /**
     * The variant a recipient gets at {@code revision} ({@code Long.MAX_VALUE}: the current one):
     * the first of the locale chain, else (a key with only, say, a French variant) the channel's
     * first variant in locale order, so a create the check accepted always has something to send.
     */
    public Optional<Template> resolve(String key, Channel channel, long revision, String... localeTags) {
        for (String l : fallbacks(localeTags)) {
            Optional<Template> t = find(key, channel, l, revision);
            if (t.isPresent()) return t;
        }
        for (Template any : store.snapshot(key).variants()) {
            if (any.channel() != channel) continue;
            Optional<Template> t = find(key, channel, any.locale(), revision);
            if (t.isPresent()) return t;
        }
        return Optional.empty();
    }

    private Optional<Template> find(String key, Channel channel, String locale, long revision) {
        if (revision == Long.MAX_VALUE) return store.find(key, channel, locale, revision);
        return cache.computeIfAbsent(new VariantAt(key, channel, locale, revision), v -> store.find(key, channel, locale, revision));
    }

    /** Renders one variant; the locale of its rules is the variant's own, else the first tag asked for. */
    public TemplateRenderer.Rendered render(Template t, JsonNode variables, String... localeTags) {
        String rules = t.locale().equals(Template.DEFAULT_LOCALE) ? fallbacks(localeTags).getFirst() : t.locale();
        Locale locale = rules.equals(Template.DEFAULT_LOCALE) ? Locale.ENGLISH : Locale.forLanguageTag(rules);
        return renderer.render(t, variables, locale);
    }

    @Override
    public Checked check(TemplateRef ref, Set<Channel> channels) {
        TemplateSet set = store.snapshot(ref.key());
        if (set.variants().isEmpty()) throw notFound("template: '" + ref.key() + "' does not exist");
        List<Template> relevant = new ArrayList<>();
        for (Channel c : channels) {
            List<Template> of = set.variants().stream().filter(t -> t.channel() == c).toList();
            if (of.isEmpty() && c.dispatched()) {
                throw notFound("template: '" + ref.key() + "' has no " + c.wire() + " variant");
            }
            relevant.addAll(of);
        }
        List<String> locales = fallbacks(ref.locale());
        Template inbox = inboxSource(set.variants(), channels, locales);
        relevant.add(inbox);
        requireVariables(ref.key(), relevant, ref.variables());
        // Every variant the notification may be sent with renders now, so a value of the wrong shape
        // is a 422 here rather than a failed send later.
        for (Template t : relevant) if (t != inbox) renderOrRefuse(t, ref.variables(), ref.locale());
        TemplateRenderer.Rendered text = renderOrRefuse(inbox, ref.variables(), ref.locale());
        return new Checked(set.revision(), clip(text.subject(), MAX_TITLE), clip(text.body(), MAX_MESSAGE));
    }

    /** The in-app variant in the create's locale, else the first requested channel's, else any. */
    private static Template inboxSource(List<Template> variants, Set<Channel> channels, List<String> locales) {
        Optional<Template> t = pick(variants, Channel.IN_APP, locales);
        for (Channel c : channels) {
            if (t.isPresent()) break;
            t = pick(variants, c, locales);
            if (t.isEmpty()) t = variants.stream().filter(v -> v.channel() == c).findFirst();
        }
        return t.orElse(variants.getFirst());
    }

    /**
     * Renders the current variant of {@code channel} (null: the email variant if any, else the
     * first) for an operator, with the same checks as a create.
     */
    public Preview preview(String key, Channel channel, String locale, JsonNode variables) {
        TemplateSet set = store.snapshot(key);
        if (set.variants().isEmpty()) throw new HeraldException(ErrorCode.NOT_FOUND, "template '" + key + "' does not exist");
        Channel c = channel != null ? channel : set.variants().stream().anyMatch(t -> t.channel() == Channel.EMAIL)
                ? Channel.EMAIL : set.variants().getFirst().channel();
        Template t = pick(set.variants(), c, fallbacks(locale))
                .orElseThrow(() -> notFound("channel: '" + key + "' has no " + c.wire() + " variant"));
        requireVariables(key, List.of(t), variables);
        return new Preview(t, renderOrRefuse(t, variables, locale));
    }

    /** A preview: the variant chosen (its channel, locale and version) and what it renders. */
    public record Preview(Template template, TemplateRenderer.Rendered rendered) {}

    /** Parses a draft's parts; {@code TEMPLATE_INVALID} naming the part that does not parse. */
    public void checkSyntax(Template draft) {
        try {
            renderer.check(draft);
        } catch (RenderFailure e) {
            throw new HeraldException(ErrorCode.TEMPLATE_INVALID, e.getMessage());
        }
    }

    private TemplateRenderer.Rendered renderOrRefuse(Template t, JsonNode variables, String locale) {
        try {
            return render(t, variables, locale);
        } catch (RenderFailure e) {
            throw new HeraldException(ErrorCode.TEMPLATE_INVALID, e.getMessage());
        }
    }

    private static void requireVariables(String key, List<Template> variants, JsonNode variables) {
        Set<String> missing = new TreeSet<>();
        for (Template t : variants) {
            for (String v : t.variables()) {
                JsonNode value = variables == null ? null : variables.get(v);
                if (value == null || value.isNull()) missing.add(v);
            }
        }
        if (!missing.isEmpty()) {
            throw new HeraldException(ErrorCode.TEMPLATE_VARIABLE_MISSING,
                    "variables: missing " + String.join(", ", missing) + " (declared by template '" + key + "')");
        }
    }

    private static HeraldException notFound(String message) {
        return new HeraldException(ErrorCode.TEMPLATE_NOT_FOUND, message);
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
