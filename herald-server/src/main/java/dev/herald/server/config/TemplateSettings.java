package dev.herald.server.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where templates come from besides the admin API and the starters: {@code HERALD_TEMPLATES_DIR},
 * a folder laid out as {@code <key>/<channel>[.<locale>].json} (+ {@code .html}), loaded at every
 * start (see herald-channels' TemplateFiles).
 */
public record TemplateSettings(Optional<Path> directory) {
    static TemplateSettings from(Env env) {
        Optional<Path> dir = env.get("HERALD_TEMPLATES_DIR").filter(s -> !s.isBlank()).map(Path::of);
        if (dir.isPresent() && !Files.isDirectory(dir.get())) {
            throw new ConfigException("HERALD_TEMPLATES_DIR", "is not a folder: " + dir.get());
        }
        return new TemplateSettings(dir);
    }
}
