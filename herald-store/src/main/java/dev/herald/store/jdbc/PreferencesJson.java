package dev.herald.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.Json;
import dev.herald.core.notification.Channel;
import dev.herald.core.notification.Preferences;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The stored form of {@link Preferences}: the DESIGN §5 document ({@code channels}, {@code types},
 * {@code quietHours}, {@code digest}) with wire names, so an operator reading the table sees what
 * the API shows. Every digest rule is written with its {@code at} and {@code day}, so a document
 * reads back equal to what was put.
 */
final class PreferencesJson {
    private PreferencesJson() {}

    static String write(Preferences p) {
        ObjectNode doc = Json.object();
        doc.set("channels", switches(p.channels()));
        ObjectNode types = doc.putObject("types");
        p.types().forEach((type, byChannel) -> types.set(type, switches(byChannel)));
        if (p.quietHours() != null) {
            doc.putObject("quietHours").put("start", p.quietHours().start().toString())
                    .put("end", p.quietHours().end().toString()).put("timezone", p.quietHours().zone().getId());
        }
        ObjectNode digest = doc.putObject("digest");
        p.digest().forEach((type, rule) -> digest.putObject(type)
                .put("frequency", rule.frequency().name().toLowerCase(Locale.ROOT))
                .put("at", rule.at().toString()).put("day", rule.day().name().toLowerCase(Locale.ROOT)));
        return doc.toString();
    }

    static Preferences read(String text) {
        JsonNode doc;
        try {
            doc = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored preferences are not JSON", e);
        }
        Map<String, Map<Channel, Boolean>> types = new LinkedHashMap<>();
        doc.path("types").properties().forEach(e -> types.put(e.getKey(), switches(e.getValue())));
        JsonNode q = doc.path("quietHours");
        Preferences.QuietHours quiet = q.isObject() ? new Preferences.QuietHours(LocalTime.parse(q.path("start").asText()),
                LocalTime.parse(q.path("end").asText()), ZoneId.of(q.path("timezone").asText())) : null;
        Map<String, Preferences.DigestRule> digest = new LinkedHashMap<>();
        doc.path("digest").properties().forEach(e -> {
            JsonNode r = e.getValue();
            digest.put(e.getKey(), new Preferences.DigestRule(
                    Preferences.Frequency.valueOf(r.path("frequency").asText().toUpperCase(Locale.ROOT)),
                    r.hasNonNull("at") ? LocalTime.parse(r.path("at").asText()) : null,
                    r.hasNonNull("day") ? DayOfWeek.valueOf(r.path("day").asText().toUpperCase(Locale.ROOT)) : null));
        });
        return new Preferences(switches(doc.path("channels")), types, quiet, digest);
    }

    private static ObjectNode switches(Map<Channel, Boolean> byChannel) {
        ObjectNode node = Json.object();
        byChannel.forEach((channel, on) -> node.put(channel.wire(), on));
        return node;
    }

    private static Map<Channel, Boolean> switches(JsonNode node) {
        Map<Channel, Boolean> byChannel = new EnumMap<>(Channel.class);
        node.properties().forEach(e -> byChannel.put(Channel.parse("preferences", e.getKey()), e.getValue().asBoolean()));
        return byChannel;
    }
}
