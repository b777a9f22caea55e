package dev.herald.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Writes results as JSON and markdown, and puts several targets' results side by side. */
public final class Reports {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Reports() {}

    public static void writeJson(Result r, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writeValue(file.toFile(), r);
    }

    public static Result readJson(Path file) throws IOException {
        return JSON.readValue(file.toFile(), Result.class);
    }

    /** One result as a two-column markdown table, with its parameters and notes. */
    public static String markdown(Result r) {
        StringBuilder b = new StringBuilder();
        b.append("### ").append(r.scenario()).append(" — ").append(r.target()).append(" (").append(r.protocol()).append(")\n\n");
        b.append("Parameters: ").append(r.params()).append("  \nMachine: ").append(r.machine()).append("\n\n");
        b.append("| metric | value |\n|---|---:|\n");
        r.metrics().forEach((k, v) -> b.append("| ").append(k).append(" | ").append(format(v)).append(" |\n"));
        for (String n : r.notes()) b.append("\n- ").append(n);
        return b.append('\n').toString();
    }

    /**
     * Targets side by side, in the given order (a {@code null} result is a target that did not
     * run, shown with {@code missingReason} of its name), then the first present target's ratio to each other
     * one: Herald ÷ reference and Herald ÷ ceiling when Herald ran.
     */
    public static String compare(java.util.LinkedHashMap<String, Result> byTarget,
                                 java.util.function.Function<String, String> missingReason) {
        List<Result> results = byTarget.values().stream().filter(java.util.Objects::nonNull).toList();
        Set<String> metrics = new LinkedHashSet<>();
        for (Result r : results) metrics.addAll(r.metrics().keySet());
        Result first = results.isEmpty() ? null : results.get(0);
        List<Result> others = results.size() > 1 ? results.subList(1, results.size()) : List.of();
        StringBuilder b = new StringBuilder();
        if (first != null) {
            b.append("### ").append(first.scenario()).append(" (").append(first.protocol()).append(")\n\n")
                    .append("Parameters: ").append(first.params()).append("  \nMachine: ").append(first.machine()).append("\n\n");
        }
        b.append("| metric |");
        for (String t : byTarget.keySet()) b.append(' ').append(t).append(" |");
        for (Result o : others) b.append(' ').append(first.target()).append(" ÷ ").append(o.target()).append(" |");
        b.append("\n|---|").append("---:|".repeat(byTarget.size() + others.size())).append('\n');
        for (String m : metrics) {
            b.append("| ").append(m).append(" |");
            for (Result r : byTarget.values()) b.append(' ').append(r == null ? "—" : format(r.metrics().get(m))).append(" |");
            for (Result o : others) b.append(' ').append(ratio(first.metrics().get(m), o.metrics().get(m))).append(" |");
            b.append('\n');
        }
        byTarget.forEach((t, r) -> {
            if (r == null) b.append("\n- ").append(t).append(": ").append(missingReason.apply(t));
        });
        for (Result r : results) for (String n : r.notes()) b.append("\n- ").append(r.target()).append(": ").append(n);
        return b.append('\n').toString();
    }

    private static String ratio(Object a, Object b) {
        if (!(a instanceof Number x) || !(b instanceof Number y) || y.doubleValue() == 0) return "";
        return String.format("%.2f", x.doubleValue() / y.doubleValue());
    }

    static String format(Object v) {
        if (v == null) return "";
        if (v instanceof Double d) return String.format("%.2f", d);
        if (v instanceof Long || v instanceof Integer) return String.format("%,d", ((Number) v).longValue());
        return v.toString();
    }
}
