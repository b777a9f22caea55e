package dev.herald.bench.scenario;

import dev.herald.bench.report.Result;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's own view of a publish: Herald's {@code notifications_message_delivery_duration_seconds}
 * histogram (from the API call to the frames queued on the sockets), read from {@code /metrics}
 * before and after the measured phase. Beside the publisher's request→answer latency and the
 * publish→client latency it splits the tail: time in the generator and on the wire before the
 * server saw the call, time in the server until the frames were queued, and time from there to
 * the client. Targets without that histogram (the reference, the ceiling) report nothing.
 */
final class ServerLatency {
    private static final Pattern BUCKET = Pattern.compile(
            "^notifications_message_delivery_duration_seconds_bucket\\{[^}]*le=\"([^\"]+)\"[^}]*} ([0-9.eE+]+)$");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final URI metrics;
    private final TreeMap<Double, Double> before;

    private ServerLatency(URI metrics, TreeMap<Double, Double> before) {
        this.metrics = metrics;
        this.before = before;
    }

    /** Reads the histogram now; null when the target serves none. */
    static ServerLatency start(Options o) {
        URI uri = URI.create("http://" + o.host() + ":" + o.port() + "/metrics");
        TreeMap<Double, Double> now = read(uri);
        return now.isEmpty() ? null : new ServerLatency(uri, now);
    }

    /** Puts {@code serverQueuedP50Micros}/{@code P99} for what happened since {@link #start}. */
    void report(Result r) {
        TreeMap<Double, Double> after = read(metrics);
        TreeMap<Double, Double> delta = new TreeMap<>();
        after.forEach((le, count) -> delta.put(le, count - before.getOrDefault(le, 0.0)));
        Double total = delta.get(Double.POSITIVE_INFINITY);
        if (total == null || total <= 0) return;
        r.put("serverQueuedP50Micros", percentileMicros(delta, total, 0.50))
                .put("serverQueuedP99Micros", percentileMicros(delta, total, 0.99));
        r.note("serverQueued*: Herald's notifications_message_delivery_duration_seconds over the measured phase "
                + "(API call received → frames queued on the sockets), the upper bound of the histogram bucket holding the percentile");
    }

    /** The upper bound of the first cumulative bucket holding the fraction {@code p} of the observations. */
    static long percentileMicros(TreeMap<Double, Double> cumulative, double total, double p) {
        for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
            if (e.getValue() >= p * total) {
                return e.getKey().isInfinite() ? -1 : Math.round(e.getKey() * 1e6);
            }
        }
        return -1;
    }

    /** Cumulative bucket counts by upper bound, summed over every series; empty when unreadable. */
    static TreeMap<Double, Double> parse(String exposition) {
        TreeMap<Double, Double> buckets = new TreeMap<>();
        for (String line : exposition.split("\n")) {
            Matcher m = BUCKET.matcher(line.trim());
            if (!m.matches()) continue;
            double le = m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
            buckets.merge(le, Double.parseDouble(m.group(2)), Double::sum);
        }
        return buckets;
    }

    private static TreeMap<Double, Double> read(URI uri) {
        try {
            HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return res.statusCode() == 200 ? parse(res.body()) : new TreeMap<>();
        } catch (java.io.IOException e) {
            return new TreeMap<>();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new TreeMap<>();
        }
    }
}
