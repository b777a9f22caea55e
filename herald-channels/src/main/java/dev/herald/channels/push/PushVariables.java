package dev.herald.channels.push;

import dev.herald.channels.webhook.InvalidSetting;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;

/** Reading the push variables: one place for the checks every platform's config makes. */
public final class PushVariables {
    private PushVariables() {}

    /** The variable's value stripped, null when unset or blank. */
    public static String value(Function<String, String> env, String name) {
        String v = env.apply(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    /** A platform's other variables set without the one that turns it on: a mistake worth stopping for. */
    public static void refuseWithout(Function<String, String> env, String main, String... others) {
        for (String other : others) {
            if (value(env, other) != null) throw new InvalidSetting(other, "is set but " + main + " is not");
        }
    }

    /** The whole variable set, or none of it: a partly configured platform stops the start naming what is missing. */
    public static boolean allOrNone(Function<String, String> env, String... names) {
        String set = null;
        String missing = null;
        for (String n : names) {
            if (value(env, n) != null) set = n;
            else if (missing == null) missing = n;
        }
        if (set == null) return false;
        if (missing != null) throw new InvalidSetting(missing, "is needed with " + set);
        return true;
    }

    public static String readFile(String variable, String path) {
        try {
            return Files.readString(Path.of(path), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new InvalidSetting(variable, "names a file that cannot be read: " + path);
        }
    }

    /** An http(s) URL with a host, or {@code fallback} when unset. */
    public static URI url(Function<String, String> env, String name, URI fallback) {
        String v = value(env, name);
        if (v == null) return fallback;
        try {
            URI uri = new URI(v);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && uri.getRawUserInfo() == null) return uri;
        } catch (URISyntaxException e) {
            // refused below
        }
        throw new InvalidSetting(name, "must be an http(s) URL with a host and no credentials");
    }
}
