package dev.herald.bench;

import dev.herald.bench.ceiling.CeilingServer;
import dev.herald.bench.report.Reports;
import dev.herald.bench.report.Result;
import dev.herald.bench.scenario.ChannelSettings;
import dev.herald.bench.scenario.Options;
import dev.herald.bench.scenario.RestartScenario;
import dev.herald.bench.scenario.Scenarios;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code herald-bench run|compare|ceiling}: see bench/README.md. */
@Command(name = "herald-bench", mixinStandardHelpOptions = true,
        description = "Load generator for Herald, the Node Socket.IO reference and the Netty ceiling.",
        subcommands = {BenchMain.Run.class, BenchMain.Compare.class, BenchMain.Ceiling.class})
public final class BenchMain {
    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Runs one scenario against one target.")
    static final class Run implements Callable<Integer> {
        @Parameters(index = "0", description = "idle | fanout | unicast | handshake | pipeline | webhooks | restart | emails | push") String scenario;
        @Option(names = "--target", defaultValue = "target", description = "label in reports (herald, reference, ceiling)") String target;
        @Option(names = "--host", defaultValue = "127.0.0.1") String host;
        @Option(names = "--port", required = true) int port;
        @Option(names = "--protocol", defaultValue = "socketio", description = "socketio | ws | official (the npm socket.io-client 4.8 in Node workers)") String protocol;
        @Option(names = "--secret", defaultValue = "${env:JWT_SECRET}", description = "HS256 secret shared with the server (default $JWT_SECRET)") String secret;
        @Option(names = "--api-key", defaultValue = "${env:HERALD_API_KEY}", description = "bearer for the REST publish routes (default $HERALD_API_KEY)") String apiKey;
        @Option(names = "--team", defaultValue = "bench", description = "team_id of every user: the fan-out room is team:{team}") String team;
        @Option(names = "--event", defaultValue = "bench", description = "event published and counted (pipeline always counts `notification`)") String event;
        @Option(names = {"--connections", "--members", "--users", "-n"}, defaultValue = "1000",
                description = "connections; room members (fanout); users with a webhook contact (webhooks), an email address (emails) or an FCM device (push)") int connections;
        @Option(names = "--rate", defaultValue = "100", description = "messages/s published") int rate;
        @Option(names = "--seconds", defaultValue = "10") double seconds;
        @Option(names = "--hold", defaultValue = "5", description = "idle: seconds to hold before reading memory") double hold;
        @Option(names = "--per-worker", defaultValue = "5000", description = "connections per worker process") int perWorker;
        @Option(names = "--concurrency", defaultValue = "256", description = "handshakes in flight, all workers") int concurrency;
        @Option(names = "--worker-threads", defaultValue = "1", description = "event loops per worker") int workerThreads;
        @Option(names = "--server-pid", defaultValue = "0", description = "pid of the server, for RSS and (JVM) heap") long serverPid;
        @Option(names = "--memory-url", description = "URL answering {heapUsed} after a GC (the Node reference)") String memoryUrl;
        @Option(names = "--publish-connections", description = "publisher's HTTP connections (default 8; pipeline 128)") Integer publishConnections;
        @Option(names = "--publish-window", description = "pipelined requests in flight per publish connection (default 64; pipeline 8)") Integer publishWindow;
        @Option(names = "--drain", defaultValue = "5", description = "seconds to wait for the last deliveries") double drain;
        @Option(names = "--grpc-port", defaultValue = "0", description = "unicast: publish with gRPC SendToUser on this port (Herald)") int grpcPort;
        @Option(names = "--warmup", defaultValue = "5", description = "seconds of traffic before measuring (discarded)") double warmup;
        @Option(names = "--warmup-rate", defaultValue = "0.1",
                description = "fanout, unicast, pipeline: the warm-up's rate as a share of --rate, in (0, 1]; 1 measures the steady state") double warmupRate;
        @Option(names = "--recipients-per-request", defaultValue = "1", description = "pipeline, webhooks: users named in each POST /api/v1/notifications") int recipientsPerRequest;
        @Option(names = "--webhook-secret", defaultValue = "${env:WEBHOOK_SIGNING_SECRET}",
                description = "webhooks: the server's whsec_ signing secret, to verify signatures (default $WEBHOOK_SIGNING_SECRET)") String webhookSecret;
        @Option(names = "--verify-every", defaultValue = "100", description = "webhooks: check the signature of one request in this many") int verifyEvery;
        @Option(names = "--fail-percent", defaultValue = "0", description = "webhooks: answer 503 to the first attempt of this share of webhooks") double failPercent;
        @Option(names = "--priority", description = "webhooks, emails, push: priority of the creates (urgent, high, medium, low); default none sent (medium)") String priority;
        @Option(names = "--database-url", description = "webhooks, emails, push: the server's PostgreSQL (postgres://…), to read its backends' CPU") String databaseUrl;
        @Option(names = "--out", description = "results directory: <scenario>-<target>.json and .md") Path out;
        @Option(names = "--signal", defaultValue = "TERM", description = "restart: TERM (graceful stop) or KILL") String signal;
        @Option(names = "--outage-notifications", defaultValue = "100", description = "restart: notifications created while the node is down") int outageNotifications;
        @Option(names = "--outage-port", defaultValue = "0", description = "restart: client port of the node that stays up (bench/run.sh starts it)") int outagePort;
        @Option(names = "--cluster-ports", split = ",", description = "fanout, unicast: the other nodes' client ports of a cluster (--port is the node publishes go to); connections go round-robin over all") int[] clusterPorts = {};
        @Option(names = "--cluster-pids", split = ",", description = "the other nodes' pids, same order as --cluster-ports (CPU summed and per node)") long[] clusterPids = {};
        @Option(names = "--broker-pids", split = ",", description = "the Redis and NATS server processes of a cluster, for their CPU") long[] brokerPids = {};
        @Option(names = "--start-script", description = "restart: bash script starting the node again, printing its pid first (bench/run.sh writes it)") Path startScript;
        // emails and push: the provider runs in this process, on the port the server was started with.
        @Option(names = "--smtp-port", defaultValue = "0", description = "emails: the port of the server's SMTP_URL, where the SMTP sink listens") int smtpPort;
        @Option(names = "--fcm-port", defaultValue = "0", description = "push: the port of the server's FCM_BASE_URL and FCM_TOKEN_URL") int fcmPort;
        @Option(names = "--fcm-service-account", description = "push: the server's FCM_SERVICE_ACCOUNT_FILE (grants are checked against its key)") Path fcmServiceAccount;
        @Option(names = "--template", description = "emails, push: template key of the creates (variables title, message), e.g. notification; default none") String template;

        /**
         * Herald answers one connection's pipelined requests one at a time (in order, RFC 9112),
         * so a publisher's concurrency is its connections: pipeline's default is a backend's pool
         * of 128 connections with 8 requests each (1 024 in flight, as 8 x 64 was), where 8 x 64
         * left Herald with 8 creates at once to group-commit (docs/decisions.md).
         */
        private int publisherConnections() {
            return publishConnections != null ? publishConnections : scenario.equals("pipeline") ? 128 : 8;
        }

        private int publisherWindow() {
            return publishWindow != null ? publishWindow : scenario.equals("pipeline") ? 8 : 64;
        }

        @Override
        public Integer call() throws Exception {
            Options o = new Options(target, host, port, protocol, secret, apiKey == null ? "" : apiKey, team, event,
                    connections, rate, seconds, hold, perWorker, concurrency, workerThreads, serverPid, memoryUrl,
                    publisherConnections(), publisherWindow(), drain, warmup, grpcPort, recipientsPerRequest,
                    new Options.Webhooks(webhookSecret, verifyEvery, failPercent, priority, databaseUrl));
            if (clusterPorts.length > 0) o = o.withCluster(cluster());
            o = o.withWarmupRate(warmupRate);
            Result r = Scenarios.run(scenario, o, scenario.equals("restart")
                    ? new RestartScenario.Settings(signal, outageNotifications, outagePort, startScript, out) : null,
                    new ChannelSettings(smtpPort, fcmPort, fcmServiceAccount, template));
            String md = Reports.markdown(r);
            System.out.println(md);
            if (out != null) {
                Reports.writeJson(r, out.resolve(scenario + "-" + target + ".json"));
                Files.writeString(out.resolve(scenario + "-" + target + ".md"), md);
            }
            return 0;
        }

        /** --port first, then the other nodes; pids likewise when they were given. */
        private Options.Cluster cluster() {
            int[] ports = new int[clusterPorts.length + 1];
            ports[0] = port;
            System.arraycopy(clusterPorts, 0, ports, 1, clusterPorts.length);
            long[] pids = new long[0];
            if (clusterPids.length > 0) {
                pids = new long[clusterPids.length + 1];
                pids[0] = serverPid;
                System.arraycopy(clusterPids, 0, pids, 1, clusterPids.length);
            }
            return new Options.Cluster(ports, pids, brokerPids);
        }
    }

    @Command(name = "compare", mixinStandardHelpOptions = true,
            description = "Prints results side by side with ratios of the first to the others.")
    static final class Compare implements Callable<Integer> {
        @Parameters(description = "result JSON files, Herald first; a missing file is shown as not run") List<Path> files;
        @Option(names = "--missing-reason", defaultValue = "not run") String reason;
        @Option(names = "--missing", description = "target=reason for one target that did not run (repeatable); overrides --missing-reason")
        Map<String, String> reasons = new LinkedHashMap<>();
        @Option(names = "--out", description = "also write the table to this file") Path out;

        @Override
        public Integer call() throws Exception {
            // <scenario>-<target>.json: the target names the column even when the file is absent.
            LinkedHashMap<String, Result> byTarget = new LinkedHashMap<>();
            for (Path f : files) {
                String target = f.getFileName().toString().replaceAll("^[a-z]+-|\\.json$", "");
                byTarget.put(target, Files.exists(f) ? Reports.readJson(f) : null);
            }
            String table = Reports.compare(byTarget, t -> reasons.getOrDefault(t, reason));
            System.out.println(table);
            if (out != null) Files.writeString(out, table);
            return 0;
        }
    }

    @Command(name = "ceiling", mixinStandardHelpOptions = true, description = "Runs the bare Netty ceiling server until killed.")
    static final class Ceiling implements Callable<Integer> {
        @Option(names = "--host", defaultValue = "127.0.0.1") String host;
        @Option(names = "--port", defaultValue = "0") int port;
        @Option(names = "--secret", defaultValue = "${env:JWT_SECRET}") String secret;
        @Option(names = "--api-key", defaultValue = "${env:HERALD_API_KEY}") String apiKey;
        @Option(names = "--threads", defaultValue = "2") int threads;
        @Option(names = "--database-url", defaultValue = "${env:DATABASE_URL}",
                description = "PostgreSQL for POST /api/v1/notifications (default $DATABASE_URL); without it that route answers 503")
        String databaseUrl;

        @Override
        public Integer call() throws Exception {
            CeilingServer s = new CeilingServer(host, port, secret, apiKey == null ? "" : apiKey, threads, databaseUrl);
            System.out.println("listening " + s.port());
            System.out.flush();
            Thread.currentThread().join();
            return 0;
        }
    }
}
