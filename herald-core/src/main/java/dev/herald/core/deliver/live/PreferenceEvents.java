package dev.herald.core.deliver.live;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.inbox.PreferencesJson;
import dev.herald.core.inbox.UserSettings;
import dev.herald.core.notification.Preferences;
import java.util.Objects;

/**
 * The client event {@code updatePreferences} (DESIGN §3, seed 001): merges its argument into the
 * user's preferences as a REST PATCH does ({@link PreferencesJson}), so seed 001's
 * {@code {email, push, inApp}} switches those channels and leaves the rest. The ack answers
 * {@code {ok:true, preferences}} with the whole document, or {@code {error:{code,message}}}
 * naming the bad field; without an ack a refusal is an {@code error} event (HeraldSessionHandler).
 *
 * <p>Threading: blocking (the store); called on the session's virtual thread.
 */
public final class PreferenceEvents {
    public static final String UPDATE = "updatePreferences";

    private final UserSettings settings;

    public PreferenceEvents(UserSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public void registerOn(HeraldSessionHandler sessions) {
        sessions.on(UPDATE, (session, event) -> {
            Preferences p = settings.updatePreferences(session.principal().userId(), event.data());
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            out.set("preferences", PreferencesJson.toJson(p));
            return out;
        });
    }
}
