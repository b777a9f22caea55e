package dev.herald.core.inbox;

import static dev.herald.core.inbox.Fields.absent;
import static dev.herald.core.inbox.Fields.bool;
import static dev.herald.core.inbox.Fields.clip;
import static dev.herald.core.inbox.Fields.hhmm;
import static dev.herald.core.inbox.Fields.invalid;
import static dev.herald.core.inbox.Fields.onlyFields;
import static dev.herald.core.inbox.Fields.zone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.notification.Channel;
import dev.herald.core.notification.Preferences;
import dev.herald.core.notification.Preferences.DigestRule;
import dev.herald.core.notification.Preferences.Frequency;
import dev.herald.core.notification.Preferences.QuietHours;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Preferences as JSON, in the DESIGN §5 shape, for REST and the socket's {@code updatePreferences}:
 * <pre>
 * { "channels":   {"inApp": true, "email": true, "push": true, "sms": false, "webhook": false},
 *   "types":      {"marketing": {"email": false}},
 *   "quietHours": {"start": "22:00", "end": "07:00", "timezone": "Europe/Paris"},
 *   "digest":     {"comment": {"frequency": "daily", "at": "09:00"}, "*": {"frequency": "instant"}} }
 * </pre>
 * Seed 001's flat switches ({@code {"email": true, "push": false, "inApp": true}}, any channel name)
 * are accepted beside or instead of {@code channels}, as an alias for {@code channels.<name>}.
 *
 * <p><b>Merge</b> ({@link #merge}, for PATCH and the socket event): a field left out keeps its
 * value. {@code channels}, {@code types}, each type's switches and {@code digest} are maps and merge
 * key by key; a {@code null} value removes the key (the switch is back to its default, on; the type
 * back to instant). {@code quietHours} and each digest rule are records and are replaced whole;
 * {@code null} removes them. A map given as {@code null} is emptied. {@link #parse} (PUT) is the
 * same merge onto {@link Preferences#defaults()}, so what a PUT leaves out is the default.
 *
 * <p>Every refusal is {@code INVALID_ARGUMENT} naming the field as a path
 * ({@code quietHours.start: must be HH:MM (00:00 to 23:59)}). Stateless; thread-safe.
 */
public final class PreferencesJson {
    /** How many types one map may hold: a preference document stays small. */
    public static final int MAX_TYPES = 200;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> FIELDS = Set.of("channels", "types", "quietHours", "digest");
    private static final Set<String> QUIET_FIELDS = Set.of("start", "end", "timezone");
    private static final Set<String> RULE_FIELDS = Set.of("frequency", "at", "day");

    private PreferencesJson() {}

    /** A whole document (PUT): what it leaves out is the default. */
    public static Preferences parse(JsonNode body, ZoneId defaultZone) {
        return merge(Preferences.defaults(), body, defaultZone);
    }

    /**
     * {@code current} with {@code patch} merged in (see the class comment).
     *
     * @param defaultZone the zone of quiet hours given without {@code timezone} (the contact's, else UTC)
     */
    public static Preferences merge(Preferences current, JsonNode patch, ZoneId defaultZone) {
        if (patch == null || !patch.isObject()) throw invalid("preferences", "must be a JSON object");
        Set<String> known = new HashSet<>(FIELDS);
        for (Channel c : Channel.values()) known.add(c.wire());
        onlyFields(patch, "", known);

        Map<Channel, Boolean> channels = new EnumMap<>(Channel.class);
        channels.putAll(current.channels());
        if (patch.has("channels")) mergeSwitches(channels, patch.get("channels"), "channels");
        for (Channel c : Channel.values()) {
            if (!patch.has(c.wire())) continue;
            if (patch.path("channels").has(c.wire())) throw invalid(c.wire(), "also given in channels; give it once");
            JsonNode v = patch.get(c.wire());
            if (v.isNull()) channels.remove(c);
            else channels.put(c, bool(v, c.wire()));
        }

        Map<String, Map<Channel, Boolean>> types = new HashMap<>(current.types());
        if (patch.has("types")) mergeTypes(types, patch.get("types"));

        QuietHours quiet = current.quietHours();
        if (patch.has("quietHours")) quiet = quietHours(patch.get("quietHours"), defaultZone);

        Map<String, DigestRule> digest = new HashMap<>(current.digest());
        if (patch.has("digest")) mergeDigest(digest, patch.get("digest"));

        return new Preferences(channels, types, quiet, digest);
    }

    private static void mergeSwitches(Map<Channel, Boolean> into, JsonNode node, String field) {
        if (node.isNull()) {
            into.clear();
            return;
        }
        if (!node.isObject()) throw invalid(field, "must be an object of channel switches, e.g. {\"email\": false}");
        node.properties().forEach(e -> {
            String name = Fields.join(field, e.getKey());
            Channel c = Channel.parse(name, e.getKey());
            if (e.getValue().isNull()) into.remove(c);
            else into.put(c, bool(e.getValue(), name));
        });
    }

    private static void mergeTypes(Map<String, Map<Channel, Boolean>> types, JsonNode node) {
        if (node.isNull()) {
            types.clear();
            return;
        }
        if (!node.isObject()) throw invalid("types", "must be an object of types, e.g. {\"marketing\": {\"email\": false}}");
        node.properties().forEach(e -> {
            String field = "types." + e.getKey();
            checkType(field, e.getKey(), false);
            if (e.getValue().isNull()) {
                types.remove(e.getKey());
                return;
            }
            Map<Channel, Boolean> switches = new EnumMap<>(Channel.class);
            switches.putAll(types.getOrDefault(e.getKey(), Map.of()));
            mergeSwitches(switches, e.getValue(), field);
            if (switches.isEmpty()) types.remove(e.getKey());
            else types.put(e.getKey(), switches);
        });
        if (types.size() > MAX_TYPES) throw invalid("types", "at most " + MAX_TYPES + " types");
    }

    private static void checkType(String field, String type, boolean wildcard) {
        if (wildcard && type.equals(Preferences.ANY_TYPE)) return;
        if (!Fields.TYPE.matcher(type).matches()) {
            throw invalid(field, "a type is 1-100 letters, digits or _ . : -" + (wildcard ? " (or * for every other type)" : ""));
        }
    }

    private static QuietHours quietHours(JsonNode node, ZoneId defaultZone) {
        if (node.isNull()) return null;
        if (!node.isObject()) throw invalid("quietHours", "must be an object {start, end, timezone} or null");
        onlyFields(node, "quietHours", QUIET_FIELDS);
        if (absent(node.get("start"))) throw invalid("quietHours.start", "required (HH:MM)");
        if (absent(node.get("end"))) throw invalid("quietHours.end", "required (HH:MM)");
        LocalTime start = hhmm(node.get("start"), "quietHours.start");
        LocalTime end = hhmm(node.get("end"), "quietHours.end");
        ZoneId zone = absent(node.get("timezone")) ? defaultZone : zone(node.get("timezone"), "quietHours.timezone");
        return new QuietHours(start, end, zone);
    }

    private static void mergeDigest(Map<String, DigestRule> digest, JsonNode node) {
        if (node.isNull()) {
            digest.clear();
            return;
        }
        if (!node.isObject()) throw invalid("digest", "must be an object of rules by type, e.g. {\"comment\": {\"frequency\": \"daily\"}}");
        node.properties().forEach(e -> {
            String field = "digest." + e.getKey();
            checkType(field, e.getKey(), true);
            if (e.getValue().isNull()) digest.remove(e.getKey());
            else digest.put(e.getKey(), rule(e.getValue(), field));
        });
        if (digest.size() > MAX_TYPES) throw invalid("digest", "at most " + MAX_TYPES + " types");
    }

    private static DigestRule rule(JsonNode node, String field) {
        if (!node.isObject()) throw invalid(field, "must be an object {frequency, at, day}");
        onlyFields(node, field, RULE_FIELDS);
        Frequency frequency = frequency(node.get("frequency"), field + ".frequency");
        JsonNode at = node.get("at");
        JsonNode day = node.get("day");
        if (frequency == Frequency.INSTANT && !absent(at)) throw invalid(field + ".at", "an instant digest takes no time");
        if (frequency != Frequency.WEEKLY && !absent(day)) throw invalid(field + ".day", "only a weekly digest takes a day");
        if (frequency == Frequency.WEEKLY && absent(day)) throw invalid(field + ".day", "a weekly digest needs a day (monday to sunday)");
        LocalTime time = absent(at) ? null : hhmm(at, field + ".at");
        // An hourly digest goes out at a minute past every hour: the hour of "at" means nothing.
        if (frequency == Frequency.HOURLY && time != null) time = LocalTime.of(0, time.getMinute());
        return new DigestRule(frequency, time, frequency == Frequency.WEEKLY ? day(day, field + ".day") : null);
    }

    private static Frequency frequency(JsonNode value, String field) {
        if (absent(value)) throw invalid(field, "required (instant, hourly, daily or weekly)");
        if (value.isTextual()) {
            for (Frequency f : Frequency.values()) {
                if (f.name().toLowerCase(Locale.ROOT).equals(value.textValue())) return f;
            }
        }
        throw invalid(field, "must be instant, hourly, daily or weekly" + (value.isTextual() ? ", not '" + clip(value.textValue()) + "'" : ""));
    }

    private static DayOfWeek day(JsonNode value, String field) {
        if (value.isTextual()) {
            for (DayOfWeek d : DayOfWeek.values()) {
                if (d.name().equalsIgnoreCase(value.textValue())) return d;
            }
        }
        throw invalid(field, "must be a day of the week, monday to sunday");
    }

    /**
     * The JSON of {@code p}: every channel switch spelled out (what is not set is on), the types
     * and digest rules as set (keys sorted), {@code "*"} shown instant when no rule covers it, and
     * {@code quietHours} null when there are none.
     */
    public static ObjectNode toJson(Preferences p) {
        ObjectNode out = NODES.objectNode();
        ObjectNode channels = out.putObject("channels");
        for (Channel c : Channel.values()) channels.put(c.wire(), p.channels().getOrDefault(c, true));
        ObjectNode types = out.putObject("types");
        new TreeMap<>(p.types()).forEach((type, switches) -> {
            ObjectNode t = types.putObject(type);
            for (Channel c : Channel.values()) if (switches.containsKey(c)) t.put(c.wire(), switches.get(c));
        });
        QuietHours q = p.quietHours();
        if (q == null) {
            out.putNull("quietHours");
        } else {
            out.putObject("quietHours").put("start", text(q.start())).put("end", text(q.end())).put("timezone", q.zone().getId());
        }
        ObjectNode digest = out.putObject("digest");
        Map<String, DigestRule> rules = new TreeMap<>(p.digest());
        rules.putIfAbsent(Preferences.ANY_TYPE, DigestRule.INSTANT);
        rules.forEach((type, rule) -> digest.set(type, rule(rule)));
        return out;
    }

    private static ObjectNode rule(DigestRule rule) {
        ObjectNode r = NODES.objectNode().put("frequency", rule.frequency().name().toLowerCase(Locale.ROOT));
        if (rule.instant()) return r;
        r.put("at", text(rule.at()));
        if (rule.frequency() == Frequency.WEEKLY) r.put("day", rule.day().name().toLowerCase(Locale.ROOT));
        return r;
    }

    private static String text(LocalTime t) {
        return String.format(Locale.ROOT, "%02d:%02d", t.getHour(), t.getMinute());
    }
}
