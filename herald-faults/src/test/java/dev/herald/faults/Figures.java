package dev.herald.faults;

import dev.herald.faults.StoredRows.Row;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * The counts a fault scenario is judged by, computed from what the clients saw and what the store
 * holds, and printed as one line ({@code faults: <scenario> sent=… accepted=… stored=… lost=…
 * duplicated=…}) so a reader of the build log sees the figures, not only a green tick.
 */
record Figures(String scenario, int sent, int accepted, int stored, int lost, int duplicated, String extra) {

    /**
     * @param rows every stored row of the scenario's users
     * @param titleOf the title create {@code i} was given (its identity in the store)
     */
    static Figures of(String scenario, CreateLoad.Report report, List<Row> rows, IntFunction<String> titleOf,
                      String extra) {
        Set<String> storedIds = rows.stream().map(Row::id).collect(Collectors.toSet());
        int lost = 0;
        for (List<String> ids : report.ids().values()) {
            for (String id : ids) if (!storedIds.contains(id)) lost++;
        }
        // A create whose 202 never arrived but whose row exists is not lost; two rows for one title are.
        Map<String, Integer> perTitle = new HashMap<>();
        for (Row r : rows) perTitle.merge(r.title(), 1, Integer::sum);
        int duplicated = perTitle.values().stream().mapToInt(n -> n - 1).sum();
        Set<String> known = new HashSet<>();
        for (int i = 0; i < report.total(); i++) known.add(titleOf.apply(i));
        long strangers = perTitle.keySet().stream().filter(t -> !known.contains(t)).count();
        String more = "retried=" + report.retried() + " replayed=" + report.replayed() + " cut=" + report.cut()
                + " refused=" + report.refused() + " unavailable=" + report.unavailable() + " failed=" + report.failed()
                + (strangers > 0 ? " unknown_rows=" + strangers : "")
                + (extra.isEmpty() ? "" : " " + extra);
        return new Figures(scenario, report.sent(), report.accepted(), rows.size(), lost, duplicated, more);
    }

    Figures print() {
        System.out.println("faults: " + scenario + " sent=" + sent + " accepted=" + accepted + " stored=" + stored
                + " lost=" + lost + " duplicated=" + duplicated + (extra.isEmpty() ? "" : " " + extra));
        return this;
    }
}
