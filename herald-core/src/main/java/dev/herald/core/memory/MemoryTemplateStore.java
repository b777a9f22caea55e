package dev.herald.core.memory;

import dev.herald.core.notification.Channel;
import dev.herald.core.template.Template;
import dev.herald.core.template.TemplateSet;
import dev.herald.core.template.TemplateStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The in-memory templates: the reference behaviour of {@link TemplateStore}. Every version is kept
 * (a deletion is a version too, with no content), as the SQL stores keep one row per version.
 */
public final class MemoryTemplateStore implements TemplateStore {
    private record Variant(String key, Channel channel, String locale) {}

    /** One version of a variant; {@code template} null when this version deleted it. */
    private record Version(long revision, Template template) {}

    private final Map<String, Long> revisions = new HashMap<>();
    private final Map<Variant, List<Version>> history = new HashMap<>();

    @Override
    public synchronized List<Template> list() {
        List<Template> out = new ArrayList<>();
        history.values().forEach(h -> {
            Template t = h.getLast().template();
            if (t != null) out.add(t);
        });
        out.sort(Template.ORDER);
        return out;
    }

    @Override
    public synchronized TemplateSet snapshot(String key) {
        List<Template> out = new ArrayList<>(list().stream().filter(t -> t.key().equals(key)).toList());
        return new TemplateSet(key, revisions.getOrDefault(key, 0L), out);
    }

    @Override
    public synchronized Optional<Template> find(String key, Channel channel, String locale, long revision) {
        List<Version> h = history.getOrDefault(new Variant(key, channel, locale), List.of());
        for (int i = h.size() - 1; i >= 0; i--) {
            if (h.get(i).revision() <= revision) return Optional.ofNullable(h.get(i).template());
        }
        return Optional.empty();
    }

    private Optional<Template> current(Template t) {
        return find(t.key(), t.channel(), t.locale(), Long.MAX_VALUE);
    }

    @Override
    public synchronized Template create(Template draft, Instant at) {
        if (current(draft).isPresent()) throw draft.conflict();
        return write(draft, at);
    }

    @Override
    public synchronized Template update(Template draft, Instant at) {
        if (current(draft).isEmpty()) throw draft.notFound();
        return write(draft, at);
    }

    private Template write(Template draft, Instant at) {
        long revision = revisions.merge(draft.key(), 1L, Long::sum);
        Template stored = draft.stored(revision, at);
        history.computeIfAbsent(new Variant(draft.key(), draft.channel(), draft.locale()), v -> new ArrayList<>())
                .add(new Version(revision, stored));
        return stored;
    }

    @Override
    public synchronized int delete(String key, Channel channel, String locale, Instant at) {
        List<Template> gone = list().stream().filter(t -> t.key().equals(key) && (channel == null || t.channel() == channel)
                && (locale == null || t.locale().equals(locale))).toList();
        if (gone.isEmpty()) return 0;
        long revision = revisions.merge(key, 1L, Long::sum);
        for (Template t : gone) history.get(new Variant(key, t.channel(), t.locale())).add(new Version(revision, null));
        return gone.size();
    }
}
