package dev.herald.channels.template;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.HeraldException;
import dev.herald.core.Json;
import dev.herald.core.notification.Channel;
import dev.herald.core.template.Template;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Templates as files, the layout of {@code HERALD_TEMPLATES_DIR} and of the starters shipped in
 * this jar:
 * <pre>
 * &lt;dir&gt;/&lt;key&gt;/&lt;channel&gt;[.&lt;locale&gt;].json   {"subject": "…", "body": "…", "html": "…", "variables": ["…"]}
 * &lt;dir&gt;/&lt;key&gt;/&lt;channel&gt;[.&lt;locale&gt;].html   the html part, when it is not in the JSON (email only)
 * </pre>
 * e.g. {@code digest/email.fr.json}; no locale means the default variant; the channel is its wire
 * name ({@code inApp}, {@code email}, {@code push}, {@code sms}, {@code webhook}).
 */
public final class TemplateFiles {
    /** The starters' folder on the classpath, and the list of its files (a jar cannot be listed). */
    static final String STARTERS = "/dev/herald/channels/template/starters/";

    private TemplateFiles() {}

    /** One file's variant; {@link IllegalArgumentException} naming the file when it is not one. */
    static Template parse(String key, String fileName, String json, String html) {
        String stem = fileName.substring(0, fileName.length() - ".json".length());
        int dot = stem.indexOf('.');
        String channelName = dot < 0 ? stem : stem.substring(0, dot);
        String locale = dot < 0 ? null : stem.substring(dot + 1);
        try {
            Channel channel = Channel.parse("file name", channelName);
            JsonNode o = Json.parse(json, key + "/" + fileName);
            if (!o.isObject()) throw new IllegalArgumentException("not a JSON object");
            List<String> variables = new ArrayList<>();
            o.path("variables").forEach(v -> variables.add(v.asText()));
            String inlineHtml = o.path("html").isTextual() ? o.path("html").asText() : null;
            return Template.draft(key, channel, locale, text(o, "subject"), text(o, "body"), inlineHtml != null ? inlineHtml : html,
                    variables);
        } catch (HeraldException | IllegalArgumentException e) {
            throw new IllegalArgumentException(key + "/" + fileName + ": " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode o, String field) {
        return o.path(field).isTextual() ? o.path(field).asText() : null;
    }

    /** Every variant under {@code dir}, in file name order. */
    public static List<Template> fromDirectory(Path dir) {
        List<Template> out = new ArrayList<>();
        try (Stream<Path> keys = Files.list(dir)) {
            for (Path keyDir : keys.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> files = Files.list(keyDir)) {
                    for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
                        String name = f.getFileName().toString();
                        Path html = keyDir.resolve(name.substring(0, name.length() - ".json".length()) + ".html");
                        out.add(parse(keyDir.getFileName().toString(), name, Files.readString(f),
                                Files.isRegularFile(html) ? Files.readString(html) : null));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading templates from " + dir + " failed", e);
        }
        return out;
    }

    /** The starters shipped with Herald: a generic notification per channel, the digest, seed 004's transaction email. */
    public static List<Template> starters() {
        List<Template> out = new ArrayList<>();
        for (String line : resource("index.txt").split("\n")) {
            String path = line.strip();
            if (path.isEmpty() || path.startsWith("#")) continue;
            int slash = path.indexOf('/');
            String key = path.substring(0, slash);
            String name = path.substring(slash + 1);
            String htmlPath = path.substring(0, path.length() - ".json".length()) + ".html";
            out.add(parse(key, name, resource(path), optionalResource(htmlPath)));
        }
        return out;
    }

    private static String resource(String path) {
        String text = optionalResource(path);
        if (text == null) throw new IllegalStateException("starter template " + path + " is missing from the jar");
        return text;
    }

    private static String optionalResource(String path) {
        try (InputStream in = TemplateFiles.class.getResourceAsStream(STARTERS + path)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
