package dev.herald.channels.template;

import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.template.Template;
import dev.herald.core.template.TemplateStore;
import dev.herald.core.template.Templates;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts file templates into the store at start. The folder ({@code HERALD_TEMPLATES_DIR}) is the
 * operator's source: a variant whose file changed gets a new version, an unchanged one is left
 * alone. Starters load only for keys the store has never had, so an edit or a deletion made over
 * the admin API survives every restart.
 */
public final class TemplateLoader {
    private static final Logger log = LoggerFactory.getLogger(TemplateLoader.class);

    private final Templates templates;
    private final Clock clock;

    public TemplateLoader(Templates templates, Clock clock) {
        this.templates = templates;
        this.clock = clock;
    }

    /** What a load did. */
    public record Loaded(int created, int updated, int unchanged) {}

    /** Loads every file of {@code dir}; a file that does not parse stops the start, naming it. */
    public Loaded loadDirectory(Path dir) {
        List<Template> files = TemplateFiles.fromDirectory(dir);
        files.forEach(this::checkSyntax);
        TemplateStore store = templates.store();
        int created = 0;
        int updated = 0;
        for (Template t : files) {
            Optional<Template> current = store.find(t.key(), t.channel(), t.locale(), Long.MAX_VALUE);
            if (current.isEmpty()) {
                if (createUnlessRaced(t)) created++;
            } else if (!current.get().sameContent(t)) {
                store.update(t, clock.instant());
                updated++;
            }
        }
        Loaded loaded = new Loaded(created, updated, files.size() - created - updated);
        log.info("templates loaded from {}: {} created, {} updated, {} unchanged", dir, loaded.created(), loaded.updated(),
                loaded.unchanged());
        return loaded;
    }

    /** Loads the starters of every key the store has never had; returns how many variants. */
    public int loadStarters() {
        Map<String, List<Template>> byKey = new LinkedHashMap<>();
        for (Template t : TemplateFiles.starters()) byKey.computeIfAbsent(t.key(), k -> new ArrayList<>()).add(t);
        int created = 0;
        for (Map.Entry<String, List<Template>> e : byKey.entrySet()) {
            if (templates.store().snapshot(e.getKey()).revision() != 0) continue;
            for (Template t : e.getValue()) {
                checkSyntax(t);
                if (createUnlessRaced(t)) created++;
            }
        }
        if (created > 0) log.info("starter templates loaded: {} variants", created);
        return created;
    }

    /** Nodes starting together load the same files: the variant another node just created is theirs. */
    private boolean createUnlessRaced(Template t) {
        try {
            templates.store().create(t, clock.instant());
            return true;
        } catch (HeraldException e) {
            if (e.code() != ErrorCode.CONFLICT) throw e;
            return false;
        }
    }

    private void checkSyntax(Template t) {
        try {
            templates.checkSyntax(t);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("template " + t.key() + " (" + t.channel().wire() + ", " + t.locale() + "): "
                    + e.getMessage(), e);
        }
    }
}
