package dev.herald.core.template;

import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.notification.Channel;
import dev.herald.core.notification.CreateNotification.TemplateRef;
import java.util.Set;

/**
 * What the pipeline asks before it accepts a create that names a template (DESIGN §5: "template
 * exists, declared variables present: else 422 at create, never a failed send later").
 * Implemented by {@link Templates}. Threading: thread-safe, blocking (reads the store).
 */
public interface TemplateCheck {
    /** Refuses every template: a server with no template store. */
    TemplateCheck NONE = (template, channels) -> {
        throw new HeraldException(ErrorCode.TEMPLATE_NOT_FOUND, "template: this server has no templates");
    };

    /**
     * Checks that the template has a variant for every out-of-app channel in {@code channels} and
     * that the variables hold every name those variants declare, and renders the inbox text.
     *
     * @throws HeraldException {@code TEMPLATE_NOT_FOUND}, {@code TEMPLATE_VARIABLE_MISSING} or
     *     {@code TEMPLATE_INVALID}
     */
    Checked check(TemplateRef template, Set<Channel> channels);

    /**
     * @param version the key's revision the notification records and later renders
     * @param title the inbox title (the in-app variant's subject, in the create's locale)
     * @param message the inbox message (that variant's body)
     */
    record Checked(long version, String title, String message) {}
}
