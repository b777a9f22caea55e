package dev.herald.bench.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One scenario run against one target: the parameters, the measured figures (in insertion order,
 * names carry their unit), and notes (what was computed rather than measured, what went wrong).
 */
public record Result(String scenario, String target, String protocol, String startedAt, String machine,
                     Map<String, Object> params, Map<String, Object> metrics, List<String> notes) {
    public static Result of(String scenario, String target, String protocol, Map<String, Object> params) {
        return new Result(scenario, target, protocol, java.time.Instant.now().toString(), Machine.describe(),
                new LinkedHashMap<>(params), new LinkedHashMap<>(), new java.util.ArrayList<>());
    }

    public Result put(String metric, Object value) {
        metrics.put(metric, value);
        return this;
    }

    public Result note(String note) {
        notes.add(note);
        return this;
    }
}
