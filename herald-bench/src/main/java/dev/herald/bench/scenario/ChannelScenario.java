package dev.herald.bench.scenario;

import dev.herald.bench.channel.FcmStandIn;
import dev.herald.bench.channel.ServiceAccountFile;
import dev.herald.bench.channel.SmtpSink;
import dev.herald.bench.client.HttpPublisher;
import dev.herald.bench.client.Tokens;
import dev.herald.bench.report.Progress;
import dev.herald.bench.report.Result;
import dev.herald.bench.webhook.WebhookTally;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Emails and pushes handed to a provider, as {@link WebhookScenario} does for webhooks: N users
 * with an email address ({@code emails}: {@code PUT /api/v1/users/u<i>/contact}) or an FCM device
 * ({@code push}: {@code POST /api/v1/users/u<i>/devices}), then {@code POST /api/v1/notifications}
 * with {@code channels: ["email"]} or {@code ["push"]} at a fixed offered rate (open loop), each for
 * K consecutive users, the create time in the title ({@code Bench <seq> <ts>}). The provider runs
 * in this process: an SMTP server ({@link SmtpSink}) or the FCM stand-in ({@link FcmStandIn}), on
 * the port the server under test was started with. Measured: messages received a second (steady:
 * the middle 80 % of the arrivals), create→received latency, duplicates, and the CPU per message of
 * the server and of its PostgreSQL backends. Needs a server with an outbox and the channel: Herald.
 */
final class ChannelScenario {
    private static final String CONTACT_PATH = "/api/v1/users/%s/contact";
    private static final String DEVICES_PATH = "/api/v1/users/%s/devices";

    /** The provider a scenario delivers to, seen the same way by the measurement. */
    private interface Provider extends AutoCloseable {
        WebhookTally tally();

        long connections();

        void report(Result r);

        @Override
        void close();
    }

    private ChannelScenario() {}

    static Result run(String scenario, Options o, ChannelSettings s) throws Exception {
        boolean email = scenario.equals("emails");
        String unit = email ? "Email" : "Push";
        String channel = email ? "email" : "push";
        int n = o.connections();
        int k = o.recipientsPerRequest();
        Options.Webhooks w = o.webhooks();
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("users", n);
        params.put("rate", o.rate());
        params.put("recipientsPerRequest", k);
        params.put("seconds", o.seconds());
        params.put("warmupSeconds", o.warmupSeconds());
        params.put("priority", w.priority() == null ? "medium (server default)" : w.priority());
        params.put("template", s.template() == null ? "none (plain: subject = title, text = message)" : s.template());
        Result r = Result.of(scenario, o.target(), "http", params);
        try (Progress progress = new Progress(scenario + " " + o.target());
             Provider provider = email ? smtp(s) : fcm(s);
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            WebhookTally tally = provider.tally();
            register(o, http, email, progress);
            refuseWithoutChannel(o, http, channel, s.template(), email);
            if (o.warmupSeconds() > 0) {
                try (HttpPublisher warm = WebhookScenario.publisher(o)) {
                    progress.phase(() -> new Progress.State(-1, String.format("warming up (%.0f s, discarded)  %s %d",
                            o.warmupSeconds(), channel, tally.counts().warmupReceived())));
                    warm.run(o.rate(), o.warmupSeconds(), seq -> create(-1 - seq, n, k, channel, w.priority(), s.template()));
                    // +1: the preflight create is a warm-up message too.
                    WebhookScenario.settle(warm, k, 1, () -> tally.counts().warmupReceived(), tally, o.drainSeconds());
                }
            }
            measure(o, r, provider, unit, channel, s.template(), progress);
            provider.report(r);
        }
        return r;
    }

    private static Provider smtp(ChannelSettings s) throws InterruptedException {
        SmtpSink sink = new SmtpSink(s.smtpPort());
        return new Provider() {
            public WebhookTally tally() {
                return sink.tally();
            }

            public long connections() {
                return sink.connections();
            }

            public void report(Result r) {
                r.put("smtpConnections", sink.connections());
            }

            public void close() {
                sink.close();
            }
        };
    }

    private static Provider fcm(ChannelSettings s) throws IOException, InterruptedException {
        if (s.serviceAccount() == null) {
            throw new IllegalArgumentException("push needs the server's service account: --fcm-service-account (bench/run.sh writes one)");
        }
        FcmStandIn google = new FcmStandIn(s.fcmPort(), ServiceAccountFile.read(s.serviceAccount()));
        return new Provider() {
            public WebhookTally tally() {
                return google.tally();
            }

            public long connections() {
                return google.tally().counts().connections();
            }

            public void report(Result r) {
                r.put("fcmConnections", google.tally().counts().connections()).put("tokenGrants", google.grants())
                        .put("refusedGrants", google.refusedGrants()).put("refusedSends", google.refusedSends());
            }

            public void close() {
                google.close();
            }
        };
    }

    private static void measure(Options o, Result r, Provider provider, String unit, String channel, String template,
                                Progress progress) throws Exception {
        int k = o.recipientsPerRequest();
        Options.Webhooks w = o.webhooks();
        WebhookTally tally = provider.tally();
        WebhookTally.Counts before = tally.counts();
        long connectionsBefore = provider.connections();
        ServerProbe server = new ServerProbe(o.serverPid(), null);
        long self = ProcessHandle.current().pid();
        try (HttpPublisher pub = WebhookScenario.publisher(o); DatabaseProbe db = DatabaseProbe.open(w.databaseUrl())) {
            long total = (long) (o.rate() * o.seconds());
            long cpuAtStart = server.cpuNanos();
            long selfAtStart = ServerProbe.cpuNanosOf(self);
            Map<Long, Long> dbAtStart = db == null ? Map.of() : db.cpuNanosByBackend();
            long commitsAtStart = db == null ? -1 : db.commits();
            long start = System.nanoTime();
            progress.phase(() -> {
                WebhookTally.Counts c = tally.counts();
                double el = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
                return new Progress.State(pub.issued() / (double) total, String.format(
                        "created %d/%d  answered %d  %s %d (%.0f/s)  late %d", pub.issued(), total,
                        pub.ok() + pub.failed(), channel, c.received(), c.received() / el, pub.late()));
            });
            pub.run(o.rate(), o.seconds(), seq -> create(seq, o.connections(), k, channel, w.priority(), template));
            long publishEnd = System.nanoTime();
            progress.phase(() -> new Progress.State(-1, String.format("draining: %s %d of %d",
                    channel, tally.counts().received(), pub.ok() * k)));
            WebhookScenario.settle(pub, k, 0, () -> tally.counts().received(), tally, o.drainSeconds());
            long end = System.nanoTime();
            long cpuUsed = server.cpuNanos() - cpuAtStart;
            long selfUsed = ServerProbe.cpuNanosOf(self) - selfAtStart;
            long dbUsed = db == null ? -1 : DatabaseProbe.used(dbAtStart, db.cpuNanosByBackend());
            if (db != null) Thread.sleep(1_500); // let the backends publish their last transaction counts
            long commits = db == null ? -1 : db.commits() - commitsAtStart;
            WebhookTally.Counts c = tally.counts();
            long received = c.received();
            long expected = pub.ok() * k;
            double window = (end - start) / 1e9;
            String plural = unit.equals("Email") ? "Emails" : "Pushes";
            r.put("createsOk", pub.ok()).put("createsFailed", pub.failed()).put("createsLate", pub.late())
                    .put("offered" + plural + "PerSec", (long) o.rate() * k)
                    .put("created" + plural + "PerSec", Math.round(expected / ((publishEnd - start) / 1e9)))
                    .put("expected" + plural, expected).put("received", received)
                    .put("missing", Math.max(0, expected - received))
                    .put("duplicates", c.duplicates() - before.duplicates())
                    .put("malformed", c.malformed() - before.malformed())
                    .put(plural.toLowerCase() + "PerSec", tally.steadyPerSecond())
                    .put(plural.toLowerCase() + "PerSecOverall", received == 0 ? 0
                            : Math.round(received / ((c.lastReceiveNanos() - start) / 1e9)))
                    .put("lastReceivedAfterSeconds", received == 0 ? 0.0
                            : Math.round((c.lastReceiveNanos() - start) / 1e7) / 100.0);
            WebhookScenario.latency(r, tally.latency());
            if (cpuAtStart >= 0 && received > 0) {
                r.put("serverCpuPercent", Math.round(100.0 * cpuUsed / (window * 1e9)))
                        .put("serverCpuMicrosPer" + unit, Math.round(cpuUsed / 1e3 / received * 10) / 10.0);
            }
            if (dbUsed >= 0 && received > 0) {
                r.put("databaseCpuPercent", Math.round(100.0 * dbUsed / (window * 1e9)))
                        .put("databaseCpuMicrosPer" + unit, Math.round(dbUsed / 1e3 / received * 10) / 10.0);
            }
            if (commits >= 0 && received > 0) r.put("databaseCommitsPer" + unit, Math.round(100.0 * commits / received) / 100.0);
            r.put("connectionsInWindow", provider.connections() - connectionsBefore);
            r.put("generatorCpuPercent", Math.round(100.0 * selfUsed / (window * 1e9)));
            r.note("creates: POST /api/v1/notifications with channels [\"" + channel + "\"] at a fixed offered rate of " + o.rate()
                    + "/s (open loop), " + k + " recipient(s) each" + (template == null ? "" : ", template " + template)
                    + "; the per-second figure is the receive rate over the middle 80 % of the arrivals, the Overall one from the first create to the last arrival");
            r.note("latency: create issued (System.nanoTime() in the title, 'Bench <seq> <ts>') to the message received by the "
                    + (channel.equals("email") ? "SMTP server (after DATA's final dot)" : "FCM stand-in")
                    + ", including the wait in the outbox");
            r.note("duplicates: a second message with the same " + (channel.equals("email") ? "Message-ID (Herald's delivery id)" : "data.id (the notification id)"));
            r.note("serverCpuMicrosPer" + unit + " covers the whole window: the creates as well as the dispatch; connectionsInWindow: "
                    + (channel.equals("email") ? "SMTP" : "HTTP") + " connections the server opened to the provider in the measured window");
            if (db == null) r.note("no --database-url (or it could not connect): PostgreSQL CPU not measured");
            else r.note("databaseCommitsPer" + unit + ": transactions committed in the server's database (pg_stat_database), creates included");
            if (!pub.failedStatuses().isEmpty()) r.note("create failures by HTTP status (0: connection closed unanswered): " + pub.failedStatuses());
            if (pub.late() > 0) r.note("publisher windows were full for " + pub.late() + " creates: the server could not take the offered create rate");
        }
    }

    /** Every user gets an address at the sink, or one FCM device whose token names the user. */
    private static void register(Options o, HttpClient http, boolean email, Progress progress) throws Exception {
        WebhookScenario.forEveryUser(o, email ? "contacts" : "devices", progress, user -> {
            String path = (email ? CONTACT_PATH : DEVICES_PATH).formatted(user);
            HttpResponse<String> a = email
                    ? call(o, http, "PUT", path, "{\"email\":\"" + user + "@bench.example\"}")
                    : call(o, http, "POST", path, "{\"platform\":\"fcm\",\"token\":\"bench-device-" + user + "\"}");
            if (a.statusCode() == 404) {
                throw new IllegalStateException("the target answered 404 to " + path + ": it has no user "
                        + (email ? "contacts" : "devices") + ", so no " + (email ? "email" : "push") + " channel (this scenario needs Herald's outbox)");
            }
            if (a.statusCode() / 100 != 2) throw new IllegalStateException(path + " answered " + a.statusCode() + ": " + a.body());
        });
    }

    /** One create up front: a server without the channel refuses it (422), and the run stops saying why. */
    private static void refuseWithoutChannel(Options o, HttpClient http, String channel, String template, boolean email)
            throws IOException, InterruptedException {
        HttpPublisher.Request probe = create(-1_000_000_000L, o.connections(), 1, channel, o.webhooks().priority(), template);
        HttpResponse<String> a = call(o, http, "POST", probe.path(), probe.body());
        if (a.statusCode() / 100 != 2) {
            throw new IllegalStateException("a create with channels [\"" + channel + "\"] answered " + a.statusCode() + ": " + a.body()
                    + (email ? " (start the server with SMTP_URL and EMAIL_FROM pointing at --smtp-port)"
                             : " (start the server with FCM_SERVICE_ACCOUNT_FILE, FCM_BASE_URL and FCM_TOKEN_URL pointing at --fcm-port)"));
        }
    }

    private static HttpResponse<String> call(Options o, HttpClient http, String method, String path, String body)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://" + o.host() + ":" + o.port() + path))
                .timeout(Duration.ofSeconds(30))
                .header("authorization", "Bearer " + o.apiKey()).header("content-type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A create for {@code k} consecutive users from a spread-out first one, titled
     * {@code Bench <seq> <ts>} (the subject of an email, the title of a push: what the provider
     * reads the latency from), with the same stamp in {@code data}.
     */
    static HttpPublisher.Request create(long seq, int n, int k, String channel, String priority, String template) {
        long first = Math.floorMod(seq * 7919L, (long) n);
        StringBuilder to = new StringBuilder();
        for (int j = 0; j < k; j++) {
            if (j > 0) to.append(',');
            to.append('"').append(Tokens.userId((int) ((first + j) % n))).append('"');
        }
        long ts = System.nanoTime();
        String title = "Bench " + seq + " " + ts;
        String message = "Notification " + seq + " from herald-bench";
        String content = template == null
                ? "\"title\":\"" + title + "\",\"message\":\"" + message + "\","
                : "\"template\":\"" + template + "\",\"variables\":{\"title\":\"" + title + "\",\"message\":\"" + message + "\"},";
        return new HttpPublisher.Request(Scenarios.NOTIFICATIONS_PATH, "{\"recipients\":[" + to + "],\"type\":\"bench\","
                + content + "\"channels\":[\"" + channel + "\"],"
                + (priority == null ? "" : "\"priority\":\"" + priority + "\",")
                + "\"data\":{\"seq\":" + seq + ",\"ts\":" + ts + "}}");
    }
}
