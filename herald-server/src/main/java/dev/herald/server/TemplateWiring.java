package dev.herald.server;

import dev.herald.api.auth.ServiceAuth;
import dev.herald.api.rest.admin.TemplatesHttpService;
import dev.herald.channels.template.PebbleTemplateRenderer;
import dev.herald.channels.template.TemplateLoader;
import dev.herald.channels.template.TemplateMessageRenderer;
import dev.herald.core.deliver.dispatch.MessageRenderer;
import dev.herald.core.deliver.dispatch.PlainRenderer;
import dev.herald.core.http.HttpService;
import dev.herald.core.store.Storage;
import dev.herald.core.template.TemplateCheck;
import dev.herald.core.template.Templates;
import dev.herald.server.config.ConfigException;
import dev.herald.server.config.TemplateSettings;
import java.time.Clock;

/**
 * Templates, wired: the store's templates with the Pebble + ICU engine; at start the
 * {@code HERALD_TEMPLATES_DIR} folder, then the starters for keys never seen. The pipeline checks
 * creates with it, the dispatcher renders with it (plain title and message for notifications
 * without a template), the admin API edits it.
 */
final class TemplateWiring {
    private final Templates templates;

    private TemplateWiring(Templates templates) {
        this.templates = templates;
    }

    /** Loads the folder and the starters; a folder file that does not parse stops the start, naming it. */
    static TemplateWiring start(Storage storage, TemplateSettings settings, Clock clock) {
        Templates templates = new Templates(storage.templates(), new PebbleTemplateRenderer());
        TemplateLoader loader = new TemplateLoader(templates, clock);
        settings.directory().ifPresent(dir -> {
            try {
                loader.loadDirectory(dir);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("HERALD_TEMPLATES_DIR", e.getMessage());
            }
        });
        loader.loadStarters();
        return new TemplateWiring(templates);
    }

    TemplateCheck check() {
        return templates;
    }

    MessageRenderer renderer() {
        return new TemplateMessageRenderer(templates, new PlainRenderer());
    }

    HttpService http(ServiceAuth auth, Clock clock) {
        return new TemplatesHttpService(templates, auth, clock);
    }
}
