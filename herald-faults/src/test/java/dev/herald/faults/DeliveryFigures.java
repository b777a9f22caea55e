package dev.herald.faults;

import dev.herald.channels.testing.WebhookReceiver;
import dev.herald.faults.StoredRows.Outbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a dispatch scenario is judged by: the outbox rows in the store (read with JDBC) against what
 * a verifying webhook receiver counted by {@code webhook-id}, printed as one line
 * ({@code faults: <scenario> sent=… delivered=… duplicated=… missing=…}) before anything is asserted.
 *
 * @param sent notifications accepted (one webhook delivery each)
 * @param delivered outbox rows whose id the receiver saw at least once
 * @param duplicated receipts beyond the first of one id
 * @param missing outbox rows the receiver never saw
 * @param duplicatedIds the ids received more than once
 * @param unknown ids received that no outbox row has
 * @param unsent outbox rows not {@code sent} (pending, dead, failed …)
 * @param sameBody every repeat of an id carried the first receipt's body, byte for byte
 */
record DeliveryFigures(String scenario, int sent, int delivered, int duplicated, int missing, Set<String> duplicatedIds,
                       int unknown, int unsent, boolean sameBody, String extra) {

    static DeliveryFigures of(String scenario, int sent, Map<String, Outbox> outbox, WebhookReceiver receiver, String extra) {
        Map<String, Integer> counts = new HashMap<>();
        Map<String, String> firstBody = new HashMap<>();
        boolean sameBody = true;
        for (WebhookReceiver.Received r : receiver.received()) {
            counts.merge(r.id(), 1, Integer::sum);
            String first = firstBody.putIfAbsent(r.id(), r.body());
            if (first != null && !first.equals(r.body())) sameBody = false;
        }
        int delivered = 0, missing = 0, duplicated = 0;
        for (String id : outbox.keySet()) {
            int n = counts.getOrDefault(id, 0);
            if (n == 0) missing++;
            else delivered++;
            duplicated += Math.max(0, n - 1);
        }
        Set<String> duplicatedIds = counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        int unknown = (int) counts.keySet().stream().filter(id -> !outbox.containsKey(id)).count();
        Map<String, Long> byStatus = outbox.values().stream().collect(Collectors.groupingBy(Outbox::status, Collectors.counting()));
        int unsent = (int) (outbox.size() - byStatus.getOrDefault("sent", 0L));
        long retried = outbox.values().stream().filter(o -> o.attempts() > 1).count();
        String more = "outbox=" + outbox.size() + " unsent=" + unsent + (unsent > 0 ? " statuses=" + byStatus : "")
                + " retried=" + retried + " unknown=" + unknown + " rejected=" + receiver.rejected() + " same_body=" + sameBody
                + (extra.isEmpty() ? "" : " " + extra);
        return new DeliveryFigures(scenario, sent, delivered, duplicated, missing, duplicatedIds, unknown, unsent, sameBody, more);
    }

    /** How many sends a node logged as settled {@code sent} (its INFO {@code delivery sent id=…} lines). */
    static long sentBy(HeraldProcess node) throws IOException {
        Path log = node.log();
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> l.contains("delivery sent id=")).count();
        }
    }

    DeliveryFigures print() {
        System.out.println("faults: " + scenario + " sent=" + sent + " delivered=" + delivered + " duplicated=" + duplicated
                + " missing=" + missing + " " + extra);
        return this;
    }

    /** The first few of {@code ids}, for a readable failure message. */
    static String sample(Set<String> ids) {
        List<String> some = ids.stream().sorted().limit(5).toList();
        return some + (ids.size() > some.size() ? " and " + (ids.size() - some.size()) + " more" : "");
    }
}
