package dev.herald.core.inbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Iterator;
import java.util.Set;
import java.util.regex.Pattern;

/** Field checks the settings codecs share; every refusal names the field as a dotted path. */
final class Fields {
    /** A notification type, as the pipeline accepts it. */
    static final Pattern TYPE = Pattern.compile("[A-Za-z0-9_.:\\-]{1,100}");
    private static final Pattern HH_MM = Pattern.compile("([01]\\d|2[0-3]):[0-5]\\d");

    private Fields() {}

    static HeraldException invalid(String field, String why) {
        return new HeraldException(ErrorCode.INVALID_ARGUMENT, field + ": " + why);
    }

    static String join(String parent, String child) {
        return parent.isEmpty() ? child : parent + "." + child;
    }

    /** Refuses a field of {@code object} not in {@code known}, naming it. */
    static void onlyFields(JsonNode object, String parent, Set<String> known) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) throw invalid(join(parent, name), "unknown field");
        }
    }

    static boolean absent(JsonNode value) {
        return value == null || value.isMissingNode() || value.isNull();
    }

    /** A string, or null when absent, null or empty; any other JSON type is refused. */
    static String optionalText(JsonNode value, String field) {
        if (absent(value)) return null;
        if (!value.isTextual()) throw invalid(field, "must be a string");
        String s = value.textValue();
        return s.isEmpty() ? null : s;
    }

    static boolean bool(JsonNode value, String field) {
        if (value == null || !value.isBoolean()) throw invalid(field, "must be true or false");
        return value.booleanValue();
    }

    /** A local time written {@code HH:MM}, 00:00 to 23:59. */
    static LocalTime hhmm(JsonNode value, String field) {
        if (value == null || !value.isTextual() || !HH_MM.matcher(value.textValue()).matches()) {
            throw invalid(field, "must be HH:MM (00:00 to 23:59)");
        }
        return LocalTime.parse(value.textValue());
    }

    /** An IANA time zone name ({@code Europe/Paris}, {@code UTC}), as the JDK's tz database knows it. */
    static ZoneId zone(JsonNode value, String field) {
        if (value == null || !value.isTextual()) throw invalid(field, "must be an IANA time zone name such as Europe/Paris");
        String name = value.textValue();
        if (!ZoneId.getAvailableZoneIds().contains(name)) {
            throw invalid(field, "unknown time zone '" + clip(name) + "' (an IANA name such as Europe/Paris)");
        }
        return ZoneId.of(name);
    }

    /** Echoed input is cut short, so a refusal never carries a megabyte back. */
    static String clip(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }
}
