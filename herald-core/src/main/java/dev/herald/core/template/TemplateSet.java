package dev.herald.core.template;

import java.util.List;

/**
 * Every current variant of one key and the key's revision, read at one instant.
 *
 * @param revision the key's latest revision, 0 when the key never existed (a key whose variants
 *     were all deleted keeps its revision and has no variants)
 * @param variants ordered by channel, then locale
 */
public record TemplateSet(String key, long revision, List<Template> variants) {
    public TemplateSet {
        variants = List.copyOf(variants);
    }
}
