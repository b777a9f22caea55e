package dev.herald.core.template;

import dev.herald.core.notification.Channel;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where templates live, with their history. Implementations: MemoryTemplateStore (reference), the
 * SQLite and PostgreSQL stores (one row per version, so nothing a notification was created with
 * is ever overwritten).
 *
 * <p>Guarantees: every write is atomic and durable when it returns and is exactly one new revision
 * of its key (see {@link Template#version()}); revisions of one key increase by one, even under
 * concurrent writers on several nodes. A variant as of a past revision never changes, so callers may
 * cache {@link #find} answers for revisions they have already seen. Threading: thread-safe and
 * blocking; call from virtual threads.
 */
public interface TemplateStore {
    /** The current variants of every key, ordered by key, channel, locale. */
    List<Template> list();

    /** One key's current variants and revision; revision 0 and no variants for an unknown key. */
    TemplateSet snapshot(String key);

    /**
     * The variant as it was at {@code revision} of its key: the newest version not above it, unless
     * that version deleted it. {@code Long.MAX_VALUE} asks for the current variant.
     */
    Optional<Template> find(String key, Channel channel, String locale, long revision);

    /**
     * Stores a new variant; {@code CONFLICT} when the (key, channel, locale) variant exists. A
     * deleted variant may be created again. Returns it as stored.
     */
    Template create(Template draft, Instant at);

    /** Replaces an existing variant with a new version; {@code NOT_FOUND} when it does not exist. */
    Template update(Template draft, Instant at);

    /**
     * Deletes the variants of {@code key} that match: every one when {@code channel} is null, else
     * that channel's, and of those only {@code locale}'s when it is not null. One revision for all;
     * returns how many were deleted (0: nothing changed, no revision).
     */
    int delete(String key, Channel channel, String locale, Instant at);
}
