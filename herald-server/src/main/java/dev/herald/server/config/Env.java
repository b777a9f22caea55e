package dev.herald.server.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The variables Herald is configured by: the process environment over a {@code .env} file (when
 * present). Every typed read names the variable in its error, so a bad value stops the start with
 * a message the operator can act on.
 */
public final class Env {
    private final Map<String, String> values;

    /** Every name asked for so far: the test that keeps Setting.ALL equal to what Herald reads. */
    private final java.util.Set<String> asked = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public Env(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** The environment over {@code dotEnv} (if it exists): real variables win. */
    public static Env load(Map<String, String> environment, Path dotEnv) {
        Map<String, String> merged = new HashMap<>();
        if (Files.isRegularFile(dotEnv)) merged.putAll(parseDotEnv(dotEnv));
        merged.putAll(environment);
        return new Env(merged);
    }

    static Map<String, String> parseDotEnv(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new ConfigException(".env", "cannot be read: " + e.getMessage());
        }
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            if (line.startsWith("export ")) line = line.substring(7).strip();
            int eq = line.indexOf('=');
            if (eq <= 0) throw new ConfigException(".env", "line " + (i + 1) + " is not NAME=value");
            String name = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            } else {
                int hash = value.indexOf(" #");
                if (hash >= 0) value = value.substring(0, hash).strip();
            }
            out.put(name, value);
        }
        return out;
    }

    public Optional<String> get(String name) {
        asked.add(name);
        String v = values.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }

    /** The names read so far (each accessor reads through {@link #get}). */
    public java.util.Set<String> asked() {
        return java.util.Set.copyOf(asked);
    }

    public String string(String name, String fallback) {
        return get(name).orElse(fallback);
    }

    public int integer(String name, int fallback, int min, int max) {
        Optional<String> raw = get(name);
        if (raw.isEmpty()) return fallback;
        try {
            int v = Integer.parseInt(raw.get());
            if (v < min || v > max) throw new ConfigException(name, "must be between " + min + " and " + max + ", got " + v);
            return v;
        } catch (NumberFormatException e) {
            throw new ConfigException(name, "must be a whole number, got '" + raw.get() + "'");
        }
    }

    public int port(String name, int fallback) {
        return integer(name, fallback, 0, 65535);
    }

    public boolean bool(String name, boolean fallback) {
        Optional<String> raw = get(name);
        if (raw.isEmpty()) return fallback;
        return switch (raw.get().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new ConfigException(name, "must be true or false, got '" + raw.get() + "'");
        };
    }

    public Duration seconds(String name, Duration fallback, long minSeconds, long maxSeconds) {
        Optional<String> raw = get(name);
        if (raw.isEmpty()) return fallback;
        try {
            double v = Double.parseDouble(raw.get());
            if (v < minSeconds || v > maxSeconds) {
                throw new ConfigException(name, "must be between " + minSeconds + " and " + maxSeconds + " seconds, got " + raw.get());
            }
            return Duration.ofMillis(Math.round(v * 1000));
        } catch (NumberFormatException e) {
            throw new ConfigException(name, "must be a number of seconds, got '" + raw.get() + "'");
        }
    }

    /** A comma-separated list; blanks dropped. */
    public List<String> list(String name) {
        return get(name).map(v -> Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
    }

    public <E extends Enum<E>> E choice(String name, Class<E> type, E fallback) {
        Optional<String> raw = get(name);
        if (raw.isEmpty()) return fallback;
        try {
            return Enum.valueOf(type, raw.get().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name, "must be one of " + Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT)
                    + ", got '" + raw.get() + "'");
        }
    }
}
