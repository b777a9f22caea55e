package dev.herald.server.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.herald.core.ingest.rules.EventRules;
import dev.herald.core.ingest.rules.RulesReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code HERALD_RULES_FILE}: YAML parsed here (core has no YAML library) into the tree core's
 * {@link RulesReader} checks, so a bad rule stops the start with a message naming it.
 */
public final class RulesFile {
    private RulesFile() {}

    public static EventRules load(Path file) {
        if (!Files.isRegularFile(file)) throw new ConfigException("HERALD_RULES_FILE", "names no readable file: " + file);
        JsonNode tree;
        try {
            tree = new YAMLMapper().readTree(file.toFile());
        } catch (JacksonException e) {
            throw new ConfigException("HERALD_RULES_FILE", file + " is not valid YAML (line "
                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + "): " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException("HERALD_RULES_FILE", "cannot read " + file + ": " + e.getMessage());
        }
        try {
            EventRules rules = RulesReader.read(tree);
            if (rules.rules().isEmpty()) throw new ConfigException("HERALD_RULES_FILE", file + " holds no rule");
            return rules;
        } catch (IllegalArgumentException e) {
            throw new ConfigException("HERALD_RULES_FILE", file + ": " + e.getMessage());
        }
    }
}
